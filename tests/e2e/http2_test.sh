#!/usr/bin/env bash
# REST over HTTP/2 end to end. The sandbox speaks HTTP/1.1 only, so an HTTP/2-only TLS front
# (h2_front.py, on Debian's python3-h2) stands between the plugin and the sandbox, as a real API
# server's HTTP/2 would: an installation created and waited for (its watches stream through HTTP/2
# flow control), status, logs, install operator --wait (a watch), and a second one that changes
# nothing; every
# request went over h2, answers came gzipped (watches as gzip streams, decoded as they flow), and
# real kubectl (straight to the sandbox) sees the result.
# usage: http2_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
front=""
stop_front() {
  [[ -n $front ]] || return 0
  kill -TERM "$front" 2>/dev/null || true
  wait "$front" 2>/dev/null || true
}
trap 'stop_front; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 300

# The front's own CA and certificate for 127.0.0.1; the sandbox's CA for its upstream side.
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$work/ca.key" -out "$work/ca.crt" -days 2 \
  -subj /CN=front-ca 2>/dev/null
openssl req "${ec[@]}" -keyout "$work/front.key" -out "$work/front.csr" -subj /CN=front 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$work/ext"
openssl x509 -req -in "$work/front.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -CAcreateserial -out "$work/front.crt" -days 2 -extfile "$work/ext" 2>/dev/null
"$kubectl" config view --raw -o 'jsonpath={.clusters[0].cluster.certificate-authority-data}' |
  base64 -d >"$work/sandbox-ca.crt"
/usr/bin/python3 "$here/h2_front.py" "$work/front.crt" "$work/front.key" "${server#https://}" \
  "$work/sandbox-ca.crt" "$work/front.log" >"$work/front.out" 2>&1 &
front=$!
port=$(listening_port "$work/front.out")
[[ -n $port ]] || fail "h2_front.py did not start: $(cat "$work/front.out")"
h2config=$work/h2config
cp "$KUBECONFIG" "$h2config"
KUBECONFIG=$h2config "$kubectl" config set-cluster sandbox --server="https://127.0.0.1:$port" \
  --certificate-authority="$work/ca.crt" --embed-certs=true >/dev/null
# A bearer token crosses the front (a client certificate would end at its TLS).
KUBECONFIG=$h2config "$kubectl" config set-context sandbox --user=sandbox-token >/dev/null
mm() { "$plugin" --kubeconfig "$h2config" "$@"; }

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
mm install demo --mode client --size 100users --ingress-host demo.local --database-secret db \
  --filestore-local 10Gi --wait --timeout 120s >"$work/install.out" 2>&1 ||
  fail "install --wait over h2: $(cat "$work/install.out")"
expect 0 "stable" "$kubectl" get mattermost demo -o 'jsonpath={.status.state}'
out=$(mm status demo 2>&1) || fail "status over h2: $out"
grep -q "stable" <<<"$out" || fail "status over h2 does not say stable: $out"
out=$(mm logs demo --tail 5 2>&1) || fail "logs over h2: $out"
[[ -n $out ]] || fail "logs over h2 printed nothing"
mm install operator --wait --timeout 120s >"$work/op.out" 2>&1 ||
  fail "install operator --wait over h2: $(cat "$work/op.out")"
expect 0 "mattermost-operator" "$kubectl" get deployment mattermost-operator \
  -n mattermost-operator -o 'jsonpath={.metadata.name}'
versions() {
  "$kubectl" get ns/mattermost-operator clusterrole/mattermost-operator \
    -o jsonpath='{..metadata.resourceVersion}'
  "$kubectl" get -n mattermost-operator sa,svc mattermost-operator \
    -o jsonpath='{..metadata.resourceVersion}'
}
before=$(versions)
mm install operator >/dev/null 2>"$work/op2.err" || fail "second install operator: $(cat "$work/op2.err")"
expect 0 "operator already installed: nothing changed" cat "$work/op2.err"
[[ $(versions) == "$before" ]] || fail "a second install operator over h2 changed objects"

# Every connection spoke h2 (the front offers nothing else), and the traffic was real: many
# requests, watches among them, gzipped answers decoded.
log=$work/front.log
grep -q '^CONNECTION ' "$log" || fail "no connection reached the front"
grep '^CONNECTION ' "$log" | grep -vE '^CONNECTION [0-9]+ h2$' &&
  fail "a connection did not speak h2: $(cat "$log")"
requests=$(grep -cE '^[0-9]+ (GET|POST|PUT|PATCH|DELETE) ' "$log" || true)
((requests >= 20)) || fail "only $requests requests went through the front: $(cat "$log")"
# Watches offer gzip (as client-go's do), and the front's gzip stream was decoded as it flowed.
grep -qE '^[0-9]+ GET [^ ]*watch=true[^ ]* 200 gzip-stream$' "$log" ||
  fail "no gzipped watch over h2: $(cat "$log")"
grep -qE '^[0-9]+ GET /api/v1/namespaces/default/pods/[^ ]*/log[^ ]* 200' "$log" ||
  fail "no pod log over h2: $(cat "$log")"
gzipped=$(grep -c ' gzip$' "$log" || true)
((gzipped >= 5)) || fail "only $gzipped gzipped answers: $(cat "$log")"
grep -q 'upstream error\|ended: ' "$log" && fail "the front saw errors: $(cat "$log")"
echo PASS
