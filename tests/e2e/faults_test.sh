#!/usr/bin/env bash
# Reliability end to end: the sandbox injects faults (tests/sandbox/faults.h) while the built binary
# installs Mattermost client-side and real kubectl reads. Faults with Retry-After are ridden out;
# the others fail the run with one clear error, and a re-run converges to the same objects as an
# install that saw no fault. Real kubectl treats the injected faults as a real server's.
# usage: faults_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
# Pods never become ready (an hour's delay), so every installation stays `reconciling`.
start_sandbox --quiet --pod-ready-delay 3600000 --fault-seed 7

mm() { "$plugin" "$@"; }
# inject JSON_RULES: adds rules through the admin endpoint.
inject() {
  "$kubectl" create --raw /sandbox/faults -f - <<<"{\"rules\":$1}" >/dev/null ||
    fail "could not add fault rules $1"
}
clear_faults() { "$kubectl" delete --raw /sandbox/faults >/dev/null; }
# fired: "FIRED/MATCHED ..." for every rule, in order.
fired() {
  "$kubectl" get --raw /sandbox/faults | /usr/bin/python3 -c '
import json, sys
print(" ".join("%d/%d" % (r["fired"], r["matched"]) for r in json.load(sys.stdin)["rules"]))'
}
# objects NAME: every object the installation NAME owns, as kind/name, sorted.
objects() {
  "$kubectl" get deploy,svc,ingress,pvc,sa,role,rolebinding -o json | /usr/bin/python3 -c '
import json, sys
name = sys.argv[1]
print(" ".join(sorted(i["kind"] + "/" + i["metadata"]["name"] for i in json.load(sys.stdin)["items"]
                      if any(o["name"] == name for o in i["metadata"].get("ownerReferences", [])))))' "$1"
}
install_args() {
  echo "install $1 --size 100users --ingress-host $1.local --database-secret db --filestore-local 10Gi"
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null

# Real kubectl waits out two 429s (Retry-After: 1 each) and prints its list.
inject '[{"kind":"429","verb":"list","resource":"secrets","next":2}]'
expect 0 "db" "$kubectl" get secrets -o 'jsonpath={.items[*].metadata.name}'
expect 0 "2/3" fired
clear_faults
# ... and prints a 500 without Retry-After as it prints a real server's error.
inject '[{"kind":"500","verb":"get","resource":"secrets","next":1}]'
expect 1 "Error from server (InternalError): Internal error occurred: injected by kube-sandbox" \
  "$kubectl" get secret db
clear_faults

# A reference installation that saw no fault.
# shellcheck disable=SC2046
mm $(install_args clean) >/dev/null 2>"$work/clean.err" || fail "install: $(cat "$work/clean.err")"
want=$(objects clean | sed 's/clean/NAME/g')
[[ $want == *Deployment/NAME* ]] || fail "the clean install created: $want"

# Throttling and 5xx with Retry-After on reads, all along the install: ridden out in one run.
inject '[{"kind":"429","every":4},{"kind":"503","verb":"get","retryAfter":1,"next":2},
         {"kind":"latency","ms":50,"probability":0.3}]'
# shellcheck disable=SC2046
mm $(install_args throttled) >"$work/throttled.out" 2>"$work/throttled.err" ||
  fail "install under 429/503 exited $?: $(cat "$work/throttled.err")"
expect 0 "mattermost.installation.mattermost.com/throttled created" cat "$work/throttled.out"
[[ $(objects throttled | sed 's/throttled/NAME/g') == "$want" ]] ||
  fail "install under 429/503 created: $(objects throttled)"
read -r too_many unavailable _ < <(fired)
[[ ${too_many%%/*} -gt 2 && $unavailable == 2/* ]] || fail "faults did not fire: $(fired)"
clear_faults

# Faults that cannot be retried safely: each run stops with one clear error, and re-runs converge.
# Run 1: a 503 without Retry-After on the Service (the status write that would record it meets a
# conflict: the 503 is still what is reported); run 2: the Deployment's write is cut by a
# connection reset (the server applied it; it is not re-sent blindly); run 3 converges.
inject '[{"kind":"503","verb":"patch","resource":"services","next":1},
         {"kind":"conflict","resource":"mattermosts/status","next":1},
         {"kind":"reset","verb":"patch","resource":"deployments","next":1}]'
# shellcheck disable=SC2046
expect 1 "mode: client-side (no operator is running)
reconciling Mattermost default/faulty client-side
Error from server (ServiceUnavailable): create Service faulty: the server is currently unable to handle the request" \
  mm $(install_args faulty)
code=0
# shellcheck disable=SC2046
mm $(install_args faulty) >"$work/faulty.out" 2>"$work/faulty.err" || code=$?
reset_error=$(tail -1 "$work/faulty.err")
((code == 1)) || fail "run 2 exited $code: $(cat "$work/faulty.err")"
[[ $reset_error == "create Deployment faulty: Unable to connect to the server: unexpected EOF" ||
  $reset_error == "create Deployment faulty: Unable to connect to the server: read tcp "*": read: connection reset by peer" ]] ||
  fail "run 2: $(cat "$work/faulty.err")"
[[ $(fired) == "1/2 1/2 1/1" ]] || fail "the faults did not fire once each: $(fired)"
# shellcheck disable=SC2046
mm $(install_args faulty) >"$work/faulty.out" 2>"$work/faulty.err" ||
  fail "run 3 did not converge: $(cat "$work/faulty.err")"
[[ $(objects faulty | sed 's/faulty/NAME/g') == "$want" ]] ||
  fail "the faulty install converged to: $(objects faulty)"
# shellcheck disable=SC2046
mm $(install_args faulty) >"$work/again.out" 2>"$work/again.err" || fail "re-run failed"
expect 0 "mattermost.installation.mattermost.com/faulty unchanged" cat "$work/again.out"
grep -qx 'state: reconciling (nothing to change)' "$work/again.err" ||
  fail "re-run: $(cat "$work/again.err")"
clear_faults

# A body cut short (valid HTTP, invalid JSON) is named in the error; a re-run converges.
inject '[{"kind":"truncate","verb":"get","resource":"secrets","next":1}]'
code=0
# shellcheck disable=SC2046
mm $(install_args cut) >/dev/null 2>"$work/cut.err" || code=$?
((code == 1)) || fail "a truncated answer exited $code: $(cat "$work/cut.err")"
[[ $(tail -1 "$work/cut.err") == "error: the server's response to GET /api/v1/namespaces/default/secrets/db: invalid JSON at offset "* ]] ||
  fail "a truncated answer: $(cat "$work/cut.err")"
# shellcheck disable=SC2046
mm $(install_args cut) >/dev/null 2>"$work/cut.err" || fail "re-run after truncation: $(cat "$work/cut.err")"
[[ $(objects cut | sed 's/cut/NAME/g') == "$want" ]] || fail "after truncation: $(objects cut)"
clear_faults

# kubectl's informer (wait) relists after a 410 Expired inside its watch and still sees the change.
"$kubectl" create configmap flag --from-literal=k=a >/dev/null
inject '[{"kind":"expired","resource":"configmaps","next":1}]'
"$kubectl" wait configmap/flag --for=jsonpath='{.data.k}'=b --timeout=60s >"$work/wait.out" 2>&1 &
waiter=$!
# The change comes once the 410 fired (kubectl's watch is open), however long kubectl takes to start.
fired_once() { [[ $(fired) == 1/* ]]; }
within 60 "kubectl wait to meet the 410" fired_once
"$kubectl" patch configmap flag -p '{"data":{"k":"b"}}' >/dev/null
wait "$waiter" || fail "kubectl wait after a 410: $(cat "$work/wait.out")"
[[ $(fired) == 1/* ]] || fail "the 410 did not fire: $(fired)"
grep -c '^kube-sandbox: fault ' "$work/stderr" >/dev/null || fail "no fault was logged"
echo "PASS"
