#!/usr/bin/env bash
# Watches under injected faults (kube-sandbox --fault flags from the start): `install --wait` and
# the local operator (`reconcile -A --watch`) keep working while their watches are dropped
# (connection reset after an event), expire (410 inside the stream: the informer relists) and are
# throttled (429 with Retry-After on any request): every repair still happens.
# usage: faults_watch_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
operator=""
trap '[[ -n $operator ]] && kill -KILL "$operator" 2>/dev/null; cleanup' EXIT
# From the start (a flag): a fifth of all requests are throttled (429, Retry-After: 1).
start_sandbox --quiet --pod-ready-delay 200 --fault-seed 3 --fault 429,probability=0.2
log=$work/operator.log

# fired: "FIRED" for every rule, in order.
fired() {
  "$kubectl" get --raw /sandbox/faults | /usr/bin/python3 -c '
import json, sys
print(" ".join(str(r["fired"]) for r in json.load(sys.stdin)["rules"]))'
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
"$plugin" install demo --size 100users --ingress-host demo.local --database-secret db \
  --filestore-local 10Gi --mode client --wait --timeout 120s >/dev/null 2>"$work/install.err" ||
  fail "install --wait under watch faults: $(cat "$work/install.err")"
expect 0 "stable" "$kubectl" get mm demo -o 'jsonpath={.status.state}'
(($(fired) > 0)) || fail "install --wait: no request was throttled"

# For the local operator (admin endpoint): its first watches of deployments, services and
# Mattermosts break after an event each, by a reset or a 410 Expired.
"$kubectl" create --raw /sandbox/faults -f - >/dev/null <<'JSON'
{"rules":[{"kind":"drop-watch","resource":"deployments","after":1,"next":3},
          {"kind":"expired","resource":"services","after":1,"next":3},
          {"kind":"drop-watch","resource":"mattermosts","after":1,"next":3}]}
JSON

"$plugin" reconcile -A --watch -v=2 2>"$log" &
operator=$!
within 60 "the initial pass" grep -q '^default/demo: no changes, state stable$' "$log"
for round in 1 2 3; do
  "$kubectl" scale deploy demo --replicas=3 >/dev/null
  within 30 "round $round: the scaled deployment repaired" \
    bash -c "[[ \$('$kubectl' get deploy demo -o jsonpath='{.spec.replicas}') == 1 ]]"
  uid=$("$kubectl" get svc demo -o jsonpath='{.metadata.uid}')
  "$kubectl" delete svc demo >/dev/null
  within 30 "round $round: the deleted service recreated" \
    bash -c "u=\$('$kubectl' get svc demo -o jsonpath='{.metadata.uid}') && [[ -n \$u && \$u != '$uid' ]]"
done
"$kubectl" patch mm demo --type merge -p '{"spec":{"replicas":2}}' >/dev/null
within 30 "the Mattermost change applied" \
  bash -c "[[ \$('$kubectl' get deploy demo -o jsonpath='{.spec.replicas}') == 2 ]]"
read -r throttled deployments services mattermosts < <(fired)
((deployments > 0 && services > 0 && mattermosts > 0)) ||
  fail "the watch faults did not all fire: $(fired)"
echo "faults fired: $deployments dropped deployment watches, $services expired service watches," \
  "$mattermosts dropped mattermost watches, $throttled throttled requests"
kill -0 "$operator" 2>/dev/null || fail "the local operator died: $(tail -n 20 "$log")"
kill -INT "$operator"
code=0
wait "$operator" || code=$?
operator=""
((code == 130)) || fail "SIGINT: exit code $code, want 130; log tail: $(tail -n 5 "$log")"
echo "PASS"
