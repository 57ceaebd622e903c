#!/usr/bin/env bash
# `install --wait` ends at the provisioner's stable test: the simulated cluster rolls the
# Deployment's pods to Ready, the client-side reconcile sees the rollout complete and writes
# state `stable`; a re-run then changes nothing, and neither does an operator taking over.
# usage: install_wait_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
standin=""
trap '[[ -n $standin ]] && kill "$standin" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 300

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
args=(install demo --size 100users --ingress-host demo.local --database-secret db
      --filestore-local 10Gi)

"$plugin" "${args[@]}" --wait --timeout 60s >"$work/out" 2>"$work/err" ||
  fail "install --wait exited $?: $(cat "$work/err")"
expect 0 "stable 1 1 1" "$kubectl" get mm demo -o \
  'jsonpath={.status.state} {.status.replicas} {.status.updatedReplicas} {.status.observedGeneration}'
expect 0 "1/1" "$kubectl" get deploy demo -o 'jsonpath={.status.readyReplicas}/{.spec.replicas}'
# What it waited for, as plain lines (stderr is not a terminal).
grep -qE '^Waiting for Mattermost "demo" \(state [a-z ]+\): [01]/1 updated pods available' \
  "$work/err" || fail "no progress lines: $(cat "$work/err")"

# Nothing is left to do once stable: a second install and a reconcile pass write nothing.
"$plugin" "${args[@]}" --wait --timeout 30s >"$work/again.out" 2>"$work/again.err" ||
  fail "second install exited $?: $(cat "$work/again.err")"
expect 0 "mattermost.installation.mattermost.com/demo unchanged" cat "$work/again.out"
expect 0 "mattermost.installation.mattermost.com/demo reconciled (state stable, 0 writes)" \
  "$plugin" reconcile demo

# Switching to operator mode changes no object: an operator (here `reconcile --watch
# --stand-in-operator`, as the operator image cannot run in the sandbox) finds nothing to do after
# the client-side run, and status says who reconciles now.
before=$(children_specs)
"$plugin" install operator >/dev/null 2>&1 || fail "install operator"
"$kubectl" patch deploy mattermost-operator -n mattermost-operator --subresource=status \
  --type=merge -p '{"status":{"conditions":[{"type":"Available","status":"True"}]}}' >/dev/null
"$plugin" reconcile -A --watch --stand-in-operator -v=2 2>"$work/standin.err" &
standin=$!
log="$work/standin.err" within 60 "the operator's first pass" \
  grep -qx 'default/demo: no changes, state stable' "$work/standin.err"
kill -TERM "$standin"
wait_exit "$standin" 60 "the stand-in operator"
standin=""
grep -qE '^local operator stopped: [0-9]+ passes, 0 writes$' "$work/standin.err" ||
  fail "the operator wrote: $(cat "$work/standin.err")"
[[ $(children_specs) == "$before" ]] || fail "switching to operator mode changed objects"
read -r name state _ _ _ _ mode _ < <("$plugin" status | sed -n 2p)
[[ "$name $state $mode" == "demo stable operator" ]] || fail "status: $("$plugin" status)"
echo "install --wait reached stable; re-runs wrote nothing; switching to operator mode changed nothing"
