#!/usr/bin/env bash
# Operator mode end to end. `install operator` applies the embedded manifest (idempotently); the
# operator image cannot run in the sandbox, so once its Deployment is available a separate
# `kubectl mattermost reconcile --watch --stand-in-operator` process stands in for it. The plugin
# in operator mode only applies the resource; the stand-in reconciles it; switching to client
# mode afterwards changes no object; `uninstall operator --delete-crds` asks before it deletes.
# usage: install_operator_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
standin=""
trap '[[ -n $standin ]] && kill "$standin" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet
mm() { "$plugin" "$@"; }

objects="namespace/mattermost-operator
customresourcedefinition.apiextensions.k8s.io/clusterinstallations.mattermost.com
customresourcedefinition.apiextensions.k8s.io/mattermostrestoredbs.mattermost.com
customresourcedefinition.apiextensions.k8s.io/mattermosts.installation.mattermost.com
serviceaccount/mattermost-operator
clusterrole.rbac.authorization.k8s.io/mattermost-operator
clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator
service/mattermost-operator
deployment.apps/mattermost-operator"
# Dry runs store nothing. --dry-run=server has the server check each object, except those in a
# namespace the dry run did not really create (the server would answer NotFound); --dry-run
# -o yaml|json prints the manifest as a List.
not_sent="(server dry run; not sent: namespace mattermost-operator does not exist yet)"
mm install operator --dry-run=server >"$work/dry.out" 2>"$work/dry.err" ||
  fail "install operator --dry-run=server: $(cat "$work/dry.err")"
expect 0 "namespace/mattermost-operator created (server dry run)
customresourcedefinition.apiextensions.k8s.io/clusterinstallations.mattermost.com created (server dry run)
customresourcedefinition.apiextensions.k8s.io/mattermostrestoredbs.mattermost.com created (server dry run)
customresourcedefinition.apiextensions.k8s.io/mattermosts.installation.mattermost.com created (server dry run)
serviceaccount/mattermost-operator created $not_sent
clusterrole.rbac.authorization.k8s.io/mattermost-operator created (server dry run)
clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator created (server dry run)
service/mattermost-operator created $not_sent
deployment.apps/mattermost-operator created $not_sent" cat "$work/dry.out"
list_kinds='import json, sys, yaml
d = yaml.safe_load(sys.stdin) if sys.argv[1] == "yaml" else json.load(sys.stdin)
print(d["kind"], " ".join(item["kind"] for item in d["items"]))'
for format in yaml json; do
  expect 0 "List Namespace CustomResourceDefinition CustomResourceDefinition CustomResourceDefinition ServiceAccount ClusterRole ClusterRoleBinding Service Deployment" \
    bash -c "'$plugin' install operator --dry-run -o $format | /usr/bin/python3 -c '$list_kinds' $format"
done
expect 0 "" "$kubectl" get crd -o name
expect 0 "" "$kubectl" get ns mattermost-operator -o name --ignore-not-found

mm install operator -v=6 >"$work/op.out" 2>"$work/op.log" || fail "install operator: $(cat "$work/op.log")"
grep -vE '^[A-Z]+ https://' "$work/op.log" >"$work/op.err" || true
expect 0 "${objects//$'\n'/ created$'\n'} created" cat "$work/op.out"
# A first install is one request per object plus one (the namespace is read first): 9 objects.
requests=$(grep -cE '^[A-Z]+ https://' "$work/op.log")
((requests <= 11)) || fail "install operator sent $requests requests for 9 objects"
expect 0 "operator v1.25.9 installed" cat "$work/op.err"
# What a second install must not change: resourceVersions, and for CRDs and the Deployment (whose
# status the server updates on its own) the generation and spec.
versions() {
  "$kubectl" get ns/mattermost-operator clusterrole/mattermost-operator \
    -o jsonpath='{..metadata.resourceVersion}'
  "$kubectl" get -n mattermost-operator sa,svc mattermost-operator \
    -o jsonpath='{..metadata.resourceVersion}'
  "$kubectl" get crd -o jsonpath='{range .items[*]}{.metadata.generation}{.spec}{end}' | md5sum
  "$kubectl" get -n mattermost-operator deploy mattermost-operator \
    -o jsonpath='{.metadata.generation}{.spec}' | md5sum
}
before=$(versions)
mm install operator >"$work/op.out" 2>"$work/op.err" || fail "second install operator: $(cat "$work/op.err")"
expect 0 "${objects//$'\n'/ unchanged$'\n'} unchanged" cat "$work/op.out"
expect 0 "operator already installed: nothing changed" cat "$work/op.err"
[[ $(versions) == "$before" ]] || fail "a second install operator changed objects"
expect 0 "True" "$kubectl" get crd mattermosts.installation.mattermost.com \
  -o jsonpath='{.status.conditions[?(@.type=="Established")].status}'

# The sandbox's simulated controllers make the Deployment available once they exist; until then
# the test says so itself.
"$kubectl" patch deploy mattermost-operator -n mattermost-operator --subresource=status \
  --type=merge -p '{"status":{"conditions":[{"type":"Available","status":"True"}]}}' >/dev/null
"$plugin" reconcile -A --watch --stand-in-operator 2>"$work/standin.err" &
standin=$!

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
args=(install demo --size 100users --ingress-host demo.local --database-secret db
  --filestore-local 10Gi)
# The stand-in operator reconciles; the simulated cluster rolls the pods; --wait follows the
# Mattermost's status until stable, showing what it waits for.
mm "${args[@]}" --wait --timeout 120s >"$work/install.out" 2>"$work/install.err" ||
  fail "install: $(cat "$work/install.err")"
expect 0 "mattermost.installation.mattermost.com/demo created" cat "$work/install.out"
expect_first_line 0 "mode: operator" cat "$work/install.err"
grep -qE '^Waiting for Mattermost "demo" \(state [a-z ]+\): [01]/1 updated pods available$' \
  "$work/install.err" || fail "no progress: $(cat "$work/install.err")"
expect 0 "stable deployment.apps/demo" bash -c \
  "'$kubectl' get mm demo -o jsonpath='{.status.state}'; echo -n ' '; '$kubectl' get deploy demo -o name"

# Client-side mode refuses while the operator runs.
running='error: the Mattermost operator is running (deployment mattermost-operator/mattermost-operator is available): it reconciles installations, so client-side mode refuses to act; use --mode operator (or auto), or uninstall the operator first'
expect 1 "$running" mm reconcile demo
expect 1 "$running" mm "${args[@]}" --mode client

# SIGTERM (as Ctrl-C) stops the stand-in cleanly.
kill -TERM "$standin"  # background jobs of scripts ignore SIGINT; the same clean stop
code=0
wait "$standin" || code=$?
standin=""
((code == 0)) || fail "the stand-in exited $code: $(cat "$work/standin.err")"
grep -qE '^local operator stopped: [0-9]+ passes, [0-9]+ writes$' "$work/standin.err" || fail "stand-in: $(cat "$work/standin.err")"

# Uninstalling the operator keeps the CRDs and the installation; switching to client-side mode
# then changes no object.
expect 0 "deployment.apps/mattermost-operator deleted
service/mattermost-operator deleted
clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator deleted
clusterrole.rbac.authorization.k8s.io/mattermost-operator deleted
serviceaccount/mattermost-operator deleted" mm uninstall operator
expect 0 "mattermost.installation.mattermost.com/demo" "$kubectl" get mm -o name
before=$(children_specs)
expect 0 "mattermost.installation.mattermost.com/demo reconciled (state stable, 0 writes)" \
  mm reconcile demo
[[ $(children_specs) == "$before" ]] || fail "switching to client-side mode changed objects"

# --delete-crds asks first: any answer but "yes" deletes nothing; --yes does not ask, and the
# CRDs go, and every installation (and its children) with them.
crds="customresourcedefinition.apiextensions.k8s.io/clusterinstallations.mattermost.com
customresourcedefinition.apiextensions.k8s.io/mattermostrestoredbs.mattermost.com
customresourcedefinition.apiextensions.k8s.io/mattermosts.installation.mattermost.com"
expect 1 "Deleting the CRDs deletes every Mattermost installation in the cluster. Type 'yes' to \
continue: error: aborted: the CRDs were not deleted" bash -c "echo no | '$plugin' uninstall operator --delete-crds"
expect 0 "$crds" "$kubectl" get crd -o name
expect 0 "mattermost.installation.mattermost.com/demo" "$kubectl" get mm -o name
mm uninstall operator --delete-crds --yes </dev/null >"$work/delete.out" 2>"$work/delete.err" ||
  fail "uninstall operator --delete-crds --yes: $(cat "$work/delete.err")"
expect 0 "customresourcedefinition.apiextensions.k8s.io/mattermosts.installation.mattermost.com deleted
customresourcedefinition.apiextensions.k8s.io/mattermostrestoredbs.mattermost.com deleted
customresourcedefinition.apiextensions.k8s.io/clusterinstallations.mattermost.com deleted" \
  grep '^customresourcedefinition' "$work/delete.out"
expect 0 "" cat "$work/delete.err"
within 60 "the CRDs to go" bash -c "[[ -z \$('$kubectl' get crd -o name) ]]"
within 60 "the installation's Deployment to be collected" \
  bash -c "[[ -z \$('$kubectl' get deploy -o name) ]]"
echo "PASS"
