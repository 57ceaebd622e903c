#!/usr/bin/env bash
# `reconcile -A` reads the cluster with one LIST per kind across namespaces, whatever the number
# of installations (no per-installation GET or LIST), and a pass with nothing to do writes nothing.
# The sandbox counts the requests it serves (/sandbox/metrics).
# usage: reconcile_all_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
# Pods never become ready: every installation stays `reconciling`, so passes are deterministic.
start_sandbox --quiet --pod-ready-delay 3600000
mm() { "$plugin" "$@"; }

# counts: "LISTS OTHER_READS WRITES MAX_LISTS_OF_ONE_RESOURCE" served since the last call (other
# reads: gets, watches, anything neither a list nor a write); resets.
counts() {
  "$kubectl" get --raw /sandbox/metrics | /usr/bin/python3 -c '
import json, sys
resources = json.load(sys.stdin)["resources"]
resources.pop("/sandbox/metrics", None)
resources.pop("/version", None)  # the kubectl dispatcher asks before each command
def total(verbs):
    return sum(n for by_verb in resources.values() for verb, n in by_verb.items() if verb in verbs)
most = max([by_verb.get("list", 0) for by_verb in resources.values()] + [0])
writes = total(["create", "update", "patch", "delete", "deletecollection"])
everything = sum(n for by_verb in resources.values() for n in by_verb.values())
print(total(["list"]), everything - total(["list"]) - writes, writes, most)'
  "$kubectl" delete --raw /sandbox/metrics >/dev/null
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
flags=(--size 100users --database-secret db --filestore-local 1Gi)
# add NAME NAMESPACE: a Mattermost created as a user would with kubectl (the first install also
# installs the CRD, client-side).
add() {
  if ! "$kubectl" get ns "$2" >/dev/null 2>&1; then
    "$kubectl" create ns "$2" >/dev/null
    "$kubectl" create secret generic db -n "$2" --from-file=DB_CONNECTION_STRING="$work/db-url" \
      >/dev/null
  fi
  if [[ -z $("$kubectl" get crd -o name) ]]; then
    mm install "$1" -n "$2" --ingress-host "$1.local" "${flags[@]}" >/dev/null 2>&1 ||
      fail "install $1"
  else
    mm install "$1" -n "$2" --ingress-host "$1.local" "${flags[@]}" --dry-run=client -o json \
      2>/dev/null | "$kubectl" create -f - >/dev/null
  fi
}
add a one
add b two

# settle: passes until one writes nothing; prints the counts of that last pass.
settle() {
  local pass
  for pass in 1 2 3; do
    counts >/dev/null
    mm reconcile -A >"$work/pass.out" 2>&1 || fail "reconcile -A: $(cat "$work/pass.out")"
    local now
    now=$(counts)
    if [[ $(awk '{print $3}' <<<"$now") == 0 ]]; then
      echo "$now"
      return
    fi
  done
  fail "reconcile -A still writes after 3 passes: $(cat "$work/pass.out")"
}
two=$(settle)
expect 0 "mattermost.installation.mattermost.com/a reconciled (namespace one, state reconciling, 0 writes)
mattermost.installation.mattermost.com/b reconciled (namespace two, state reconciling, 0 writes)" \
  cat "$work/pass.out"
[[ $("$kubectl" get deploy -A -o name | sort | tr '\n' ' ') == "deployment.apps/a deployment.apps/b " ]] ||
  fail "children missing: $("$kubectl" get deploy -A)"

add c one
add d three
four=$(settle)
[[ $("$kubectl" get deploy -A -o name | wc -l) == 4 ]] || fail "children missing for c, d"
# Twice the installations, the same requests: lists of each kind once, nothing else: no
# per-object GET, not even to look for the operator (every namespace's Deployments are listed).
[[ $two == "$four" ]] || fail "requests grew with the installations: 2 -> $two, 4 -> $four"
read -r lists others writes most <<<"$four"
((writes == 0 && others == 0 && most == 1 && lists >= 8)) ||
  fail "a steady-state pass served lists=$lists other reads=$others writes=$writes (max $most per kind)"
echo "reconcile -A: $lists lists, nothing else, for 2 and for 4 installations"
