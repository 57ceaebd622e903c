#!/usr/bin/env bash
# `install operator` from elsewhere: -n moves the operator (and every reference to its namespace),
# --from reads the manifest from a URL (a local web server started here), --with-mysql-operator
# and --with-minio-operator apply those operators too, in dependency order, creating the
# namespaces their manifests do not; --wait shows what it waits for. Then the plugin finds the
# operator in its new namespace, and `uninstall operator -n` removes it from there.
# usage: install_operator_sources_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
web=""
trap '[[ -n $web ]] && kill "$web" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet
mm() { "$plugin" "$@"; }

mkdir "$work/www"
mm render --operator >"$work/www/mattermost-operator.yaml"
# Like the upstream MySQL operator manifest: a StatefulSet, no Namespace object for its namespace.
cat >"$work/www/mysql-operator.yaml" <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: mysql-operator, namespace: mysql-operator}
spec:
  replicas: 1
  serviceName: mysql-operator
  selector: {matchLabels: {app: mysql-operator}}
  template:
    metadata: {labels: {app: mysql-operator}}
    spec:
      serviceAccountName: mysql-operator
      containers: [{name: operator, image: "example.com/mysql-operator:0.4.0"}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: mysql-operator, namespace: mysql-operator}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: mysqlclusters.mysql.presslabs.org}
spec:
  group: mysql.presslabs.org
  names: {kind: MysqlCluster, listKind: MysqlClusterList, plural: mysqlclusters, singular: mysqlcluster}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
YAML
cat >"$work/minio-operator.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: minio-operator}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: minio-operator, namespace: minio-operator}
spec:
  replicas: 1
  selector: {matchLabels: {app: minio-operator}}
  template:
    metadata: {labels: {app: minio-operator}}
    spec:
      containers: [{name: operator, image: "example.com/minio-operator:1.0.7"}]
YAML
/usr/bin/python3 -u -m http.server --bind 127.0.0.1 --directory "$work/www" 0 \
  >"$work/web.out" 2>"$work/web.err" &
web=$!
within 20 "the web server" grep -q 'port' "$work/web.out"
url=http://127.0.0.1:$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$work/web.out")

expect 1 "error: unable to read URL \"$url/missing.yaml\", server reported 404 Not Found, status code=404" \
  mm install operator --from "$url/missing.yaml"
expect 1 "error: --with-minio-operator is a flag of 'install operator'
See 'kubectl mattermost install -h' for help and examples" \
  mm install demo --with-minio-operator "$work/minio-operator.yaml"
[[ -z $("$kubectl" get ns -o name | grep -v -e /default -e /kube-) ]] || fail "bad input wrote"

args=(install operator -n ops --from "$url/mattermost-operator.yaml"
  --with-mysql-operator "$url/mysql-operator.yaml" --with-minio-operator "$work/minio-operator.yaml")
mm "${args[@]}" --wait --timeout 60s >"$work/out" 2>"$work/err" ||
  fail "install operator: $(cat "$work/err")"
expect 0 "namespace/mysql-operator created
namespace/minio-operator created
namespace/ops created
customresourcedefinition.apiextensions.k8s.io/mysqlclusters.mysql.presslabs.org created
customresourcedefinition.apiextensions.k8s.io/clusterinstallations.mattermost.com created
customresourcedefinition.apiextensions.k8s.io/mattermostrestoredbs.mattermost.com created
customresourcedefinition.apiextensions.k8s.io/mattermosts.installation.mattermost.com created
serviceaccount/mysql-operator created
serviceaccount/mattermost-operator created
clusterrole.rbac.authorization.k8s.io/mattermost-operator created
clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator created
service/mattermost-operator created
statefulset.apps/mysql-operator created
deployment.apps/minio-operator created
deployment.apps/mattermost-operator created" cat "$work/out"
# --wait: what it waits for, as plain lines (stderr is not a terminal), then the outcome.
for workload in statefulset/mysql-operator/mysql-operator/ready \
  deployment/minio-operator/minio-operator/available deployment/ops/mattermost-operator/available; do
  IFS=/ read -r kind ns name state <<<"$workload"
  grep -qE "^Waiting for $kind \"$name\" in namespace \"$ns\": [01]/1 pods $state$" \
    "$work/err" || fail "no progress for $workload: $(cat "$work/err")"
  grep -qx "$kind \"$name\" available" "$work/err" || fail "$workload: $(cat "$work/err")"
done
expect 0 "1" "$kubectl" get statefulset -n mysql-operator mysql-operator \
  -o jsonpath='{.status.readyReplicas}'
[[ $(tail -n 1 "$work/err") == "operator available" ]] || fail "$(cat "$work/err")"
grep -qx "operator from $url/mattermost-operator.yaml installed" "$work/err" || fail "$(cat "$work/err")"

# Everything of the operator is in ops, the binding's subject too; nothing in mattermost-operator.
expect 0 "ops ops ops" bash -c "'$kubectl' get -n ops deploy,svc,sa mattermost-operator \
  -o jsonpath='{.items[*].metadata.namespace}'"
expect 0 "ops" "$kubectl" get clusterrolebinding mattermost-operator -o jsonpath='{.subjects[0].namespace}'
expect 1 'Error from server (NotFound): namespaces "mattermost-operator" not found' \
  "$kubectl" get ns mattermost-operator
expect 0 "True" "$kubectl" get crd mysqlclusters.mysql.presslabs.org \
  -o jsonpath='{.status.conditions[?(@.type=="Established")].status}'

# Idempotent: the same command changes nothing and says so.
mm "${args[@]}" >"$work/out" 2>"$work/err" || fail "second install operator: $(cat "$work/err")"
[[ $(grep -cv ' unchanged$' "$work/out") == 0 ]] || fail "second run changed: $(cat "$work/out")"
expect 0 "operator already installed: nothing changed" cat "$work/err"

# The plugin finds the operator where it runs now: logs --operator too, and with -n.
for where in "" "-n ops"; do
  # shellcheck disable=SC2086
  expect 0 '{"level":"info","msg":"Starting workers","controller":"mattermost"}' \
    mm logs --operator --tail 1 $where
done
# The plugin finds the operator where it runs now.
expect 1 "error: the Mattermost operator is running (deployment ops/mattermost-operator is available): it reconciles installations, so client-side mode refuses to act; use --mode operator (or auto), or uninstall the operator first" \
  mm reconcile -A
expect 0 "deployment.apps/mattermost-operator deleted
service/mattermost-operator deleted
clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator deleted
clusterrole.rbac.authorization.k8s.io/mattermost-operator deleted
serviceaccount/mattermost-operator deleted" mm uninstall operator -n ops
expect 0 "" "$kubectl" get deploy -n ops -o name
echo "PASS"
