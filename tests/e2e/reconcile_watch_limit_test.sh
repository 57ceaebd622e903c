#!/usr/bin/env bash
# `reconcile --watch --max-concurrent N` honours the operator's limit of installations that are
# reconciling at once: the others wait (and say so with -v=2) without being touched.
# usage: reconcile_watch_limit_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
operator=""
trap '[[ -n $operator ]] && kill -KILL "$operator" 2>/dev/null; cleanup' EXIT
# Pods never become ready: a reconciling installation stays reconciling.
start_sandbox --quiet --pod-ready-delay 3600000
log=$work/operator.log

deployments() { "$kubectl" get deploy -o name | sort | tr '\n' ' '; }
# stop SIGNAL CODE: stops the operator, expecting exit code CODE.
stop() {
  kill "-$1" "$operator"
  local code=0
  wait "$operator" || code=$?
  operator=""
  (($code == $2)) || fail "the operator exited $code after SIG$1, want $2: $(tail -n 5 "$log")"
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
flags=(--size 100users --database-secret db --filestore-local 1Gi)
# a: installed client-side (this also installs the CRD), now reconciling; b and c: created only.
"$plugin" install a --ingress-host a.local "${flags[@]}" >/dev/null 2>&1 || fail "install a"
for name in b c; do
  "$plugin" install "$name" --ingress-host "$name.local" "${flags[@]}" --dry-run=client -o json \
    2>/dev/null | "$kubectl" create -f - >/dev/null
done

# Limit 1, already reached by a: b and c wait.
"$plugin" reconcile -A --watch --max-concurrent 1 -v=2 2>"$log" &
operator=$!
within 60 "b held back" grep -q '^default/b: waiting' "$log"
within 60 "c held back" grep -q '^default/c: waiting' "$log"
within 60 "a reconciled" grep -q '^default/a: no changes, state reconciling$' "$log"
[[ $(deployments) == "deployment.apps/a " ]] || fail "the limit was not honoured: $(deployments)"
[[ -z $("$kubectl" get mm b c -o jsonpath='{.items[*].status.state}') ]] ||
  fail "b or c has a status"
stop TERM 0

# Limit 2: exactly one of b and c joins a.
"$plugin" reconcile -A --watch --max-concurrent 2 -v=2 2>"$log" &
operator=$!
within 60 "a second installation reconciling" bash -c "[[ \$('$kubectl' get deploy -o name | wc -l) == 2 ]]"
within 60 "the third held back" grep -qE '^default/[bc]: waiting' "$log"
sleep 1
[[ $("$kubectl" get deploy -o name | wc -l) == 2 ]] || fail "limit 2 exceeded: $(deployments)"
within 30 "two installations reconciling, one without status" bash -c \
  "[[ \$('$kubectl' get mm -o jsonpath='{.items[*].status.state}') == 'reconciling reconciling' ]]"
[[ $("$kubectl" get deploy -o name | wc -l) == 2 ]] || fail "limit 2 exceeded: $(deployments)"
stop INT 130
echo "PASS"
