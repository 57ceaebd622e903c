#!/usr/bin/env bash
# Ctrl-C and SIGTERM for one-shot commands, delivered while the command waits for a slow answer
# (the sandbox's latency fault holds the request for 10 minutes): SIGINT and SIGTERM exit 130 at
# once, with one plain line, and a re-run converges to what an uninterrupted run makes. (A
# command killed by the signal instead would print nothing; a background job of a script ignores
# SIGINT, so without the CLI's guard `status` would not stop at all.)
# Real kubectl checks the cluster.
# usage: interrupt_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
start_sandbox --quiet --pod-ready-delay 3600000

mm() { "$plugin" "$@"; }
# hold VERB RESOURCE: the next VERB request on RESOURCE waits 10 minutes for its answer.
hold() {
  "$kubectl" delete --raw /sandbox/faults >/dev/null
  "$kubectl" create --raw /sandbox/faults -f - >/dev/null \
    <<<"{\"rules\":[{\"kind\":\"latency\",\"ms\":600000,\"verb\":\"$1\",\"resource\":\"$2\"}]}" ||
    fail "could not add the latency fault"
}
held() {
  [[ $("$kubectl" get --raw /sandbox/faults | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)["rules"][0]["fired"])') == 1 ]]
}
# interrupt SIGNAL CODE MESSAGE NAME ARGS...: runs the plugin with ARGS in the background, sends
# SIGNAL once the held request is in flight, and expects exit CODE within 60 s (not the 10
# minutes the request would take) with MESSAGE as the last stderr line.
interrupt() {
  local signal=$1 code=$2 message=$3 name=$4
  shift 4
  "$plugin" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  background_pid=$!
  within 60 "$name: the held request to be sent" held
  kill "-$signal" "$background_pid"
  wait_exit "$background_pid" 60 "$name after SIG$signal"
  background_pid=""
  [[ $exit_code == "$code" ]] ||
    fail "$name exited $exit_code after SIG$signal, want $code: $(cat "$work/$name.err")"
  [[ $(tail -n 1 "$work/$name.err") == "$message" ]] ||
    fail "$name after SIG$signal printed: $(cat "$work/$name.err")"
  "$kubectl" delete --raw /sandbox/faults >/dev/null
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
args=(install demo --ingress-host demo.local --database-secret db --filestore-local 10Gi
  --size 100users --version 10.8.1)
mm "${args[@]}" >/dev/null 2>"$work/install.err" ||
  fail "install: $(cat "$work/install.err")"

# status: Ctrl-C while it reads the installation.
hold get mattermosts
interrupt INT 130 "error: interrupted" status status demo
[[ ! -s $work/status.out ]] || fail "an interrupted status printed: $(cat "$work/status.out")"

# install (client-side, a second installation): SIGTERM while it applies the Deployment. What it
# applied stays applied (each write is one request: the held one may or may not have been
# applied, as on a real server); the re-run finishes the job.
hold patch deployments
interrupt TERM 130 "error: interrupted" install "${args[@]/demo/other}"
expect 0 10.8.1 "$kubectl" get mm other -o jsonpath='{.spec.version}'
mm "${args[@]/demo/other}" >/dev/null 2>"$work/rerun.err" ||
  fail "re-run of the interrupted install: $(cat "$work/rerun.err")"
expect 0 mattermost/mattermost-enterprise-edition:10.8.1 \
  "$kubectl" get deployment other -o jsonpath='{.spec.template.spec.containers[0].image}'

# uninstall operator: Ctrl-C between deletions; the re-run deletes the rest.
mm install operator >/dev/null 2>"$work/operator.err" || fail "install operator: $(cat "$work/operator.err")"
hold delete deployments
interrupt INT 130 "error: interrupted" uninstall uninstall operator
grep -q 'deployment.apps/mattermost-operator' "$work/uninstall.out" &&
  fail "the interrupted uninstall reported the held deletion: $(cat "$work/uninstall.out")"
mm uninstall operator >"$work/uninstall.out" 2>"$work/uninstall.err" ||
  fail "re-run of uninstall: $(cat "$work/uninstall.err")"
expect 1 'Error from server (NotFound): deployments.apps "mattermost-operator" not found' \
  "$kubectl" get deployment -n mattermost-operator mattermost-operator
echo "PASS: status (SIGINT), install (SIGTERM) and uninstall (SIGINT) exit 130 mid-request; re-runs converge"
