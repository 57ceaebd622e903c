#!/usr/bin/env bash
# `reconcile --watch`, the local operator: once its informers are in sync, changes to children
# (a scaled Deployment, a deleted Service) are repaired and a change to the Mattermost reaches its
# Deployment promptly, every pass reads only from the
# informer caches (the plugin's request log shows no GET or LIST other than watches), a pass with
# nothing to do writes nothing, and Ctrl-C (SIGINT) stops it cleanly with exit code 130.
# Deadlines are generous (the machine may be loaded); the typical latency is printed.
# usage: reconcile_watch_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
operator=""
trap '[[ -n $operator ]] && kill -KILL "$operator" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 200
log=$work/operator.log

# after MARK: the operator's log lines after line MARK.
after() { tail -n +"$(($1 + 1))" "$log"; }
lines() { wc -l <"$log"; }

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
"$plugin" install demo --size 100users --ingress-host demo.local --database-secret db \
  --filestore-local 10Gi --mode client --wait --timeout 120s >/dev/null 2>"$work/install.err" ||
  fail "install --wait: $(cat "$work/install.err")"

# -v=6 logs every request the plugin makes; -v=2 a line for every pass.
"$plugin" reconcile -A --watch -v=6 2>"$log" &
operator=$!
within 60 "the initial pass" grep -q '^default/demo: no changes, state stable$' "$log"

# A scaled Deployment is scaled back.
mark=$(lines)
start=$(date +%s%N)
"$kubectl" scale deploy demo --replicas=3 >/dev/null
within 20 "the scaled deployment repaired" \
  bash -c "[[ \$('$kubectl' get deploy demo -o jsonpath='{.spec.replicas}') == 1 ]]"
scale_ms=$((($(date +%s%N) - start) / 1000000))

# A deleted Service is created again.
uid=$("$kubectl" get svc demo -o jsonpath='{.metadata.uid}')
start=$(date +%s%N)
"$kubectl" delete svc demo >/dev/null
within 20 "the deleted service recreated" \
  bash -c "u=\$('$kubectl' get svc demo -o jsonpath='{.metadata.uid}') && [[ -n \$u && \$u != '$uid' ]]"
service_ms=$((($(date +%s%N) - start) / 1000000))
# A change to the Mattermost itself reaches its children.
start=$(date +%s%N)
"$kubectl" patch mm demo --type merge -p '{"spec":{"replicas":2}}' >/dev/null
within 20 "the new replicas applied" \
  bash -c "[[ \$('$kubectl' get deploy demo -o jsonpath='{.spec.replicas}') == 2 ]]"
spec_ms=$((($(date +%s%N) - start) / 1000000))
echo "repaired: scaled deployment in ${scale_ms} ms, deleted service in ${service_ms} ms;" \
  "Mattermost change applied in ${spec_ms} ms"

# Passes read only from the caches: after the sync, the plugin's GETs are watches, never a GET of
# an object or a LIST; its writes are the repairs.
reads=$(after "$mark" | grep -E '^GET https://' | grep -v 'watch=true' || true)
[[ -z $reads ]] || fail "passes read from the API server instead of the caches:
$reads"
after "$mark" | grep -qE '^PATCH https://[^ ]*/deployments/demo\?' ||
  fail "no apply of the deployment: $(after "$mark")"

# A no-op change (an annotation on the Mattermost) gets a pass that writes nothing.
within 60 "stable again" bash -c \
  "[[ \$('$kubectl' get mm demo -o jsonpath='{.status.state}') == stable ]]"
sleep 1
mark=$(lines)
"$kubectl" annotate mm demo touched=yes >/dev/null
within 20 "a pass after the annotation" \
  bash -c "tail -n +$((mark + 1)) '$log' | grep -q '^default/demo: no changes, state stable$'"
writes=$(after "$mark" | grep -E '^(POST|PUT|PATCH|DELETE) https://' || true)
[[ -z $writes ]] || fail "a no-op pass wrote: $writes"

# Ctrl-C: a clean stop, exit code 130.
kill -INT "$operator"
code=0
wait "$operator" || code=$?
operator=""
((code == 130)) || fail "SIGINT: exit code $code, want 130; log tail: $(tail -n 5 "$log")"
tail -n 2 "$log" | head -n 1 | grep -qE '^local operator stopped: [0-9]+ passes, [0-9]+ writes?$' ||
  fail "no clean stop: $(tail -n 5 "$log")"
[[ $(tail -n 1 "$log") == "error: interrupted" ]] || fail "last line: $(tail -n 1 "$log")"
echo "PASS"
