#!/usr/bin/env bash
# Drives one real kubectl (the dispatcher, kubectl.1.27, kubectl.1.33, ...) through the
# operations the plugin and its users rely on, against a fresh kube-sandbox, checking kubectl's
# exact output, including every failure case.
# usage: kubectl_conformance.sh PATH_TO_kube-sandbox PATH_TO_kubectl
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl_binary=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl}
data=$here/testdata
start_sandbox --no-simulation
k() { "$kubectl_binary" "$@"; }
minor=$(k version --client -o json | /usr/bin/python3 -c \
  'import json,sys; print(json.load(sys.stdin)["clientVersion"]["minor"].rstrip("+"))')

# Discovery and version.
server_minor=$(k version -o json | /usr/bin/python3 -c \
  'import json,sys; print(json.load(sys.stdin)["serverVersion"]["minor"])')
[[ $server_minor == 32 ]] || fail "server minor $server_minor, want 32"
resources=$(k api-resources | squeeze)
for line in "deployments deploy apps/v1 true Deployment" "namespaces ns v1 false Namespace" \
  "customresourcedefinitions crd,crds apiextensions.k8s.io/v1 false CustomResourceDefinition" \
  "pods po v1 true Pod"; do
  grep -qxF "$line" <<<"$resources" || fail "api-resources lacks '$line':
$resources"
done

# Namespaces and client-side apply.
expect 0 "namespace/conf created" k create ns conf
expect 0 "deployment.apps/web created" k apply -f "$data/deployment.yaml"
sed 's/replicas: 2/replicas: 3/; s/nginx:1.25/nginx:1.26/' "$data/deployment.yaml" >"$work/d2.yaml"
expect 0 "deployment.apps/web configured" k apply -f "$work/d2.yaml"
expect 0 "deployment.apps/web unchanged" k apply -f "$work/d2.yaml"
expect 0 "3 nginx:1.26 2" k get deploy web -n conf \
  -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}'

# Server-side apply: a conflict with the client-side manager, then forced.
sed 's/replicas: 2/replicas: 5/; s/nginx:1.25/nginx:1.26/' "$data/deployment.yaml" >"$work/d3.yaml"
expect_first_line 1 'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas' \
  k apply --server-side -f "$work/d3.yaml"
expect 0 "deployment.apps/web serverside-applied" k apply --server-side --force-conflicts -f "$work/d3.yaml"
expect 0 "5" k get deploy web -n conf -o jsonpath='{.spec.replicas}'
managers=$(k get deploy web -n conf --show-managed-fields -o jsonpath='{.metadata.managedFields[*].manager}')
[[ $managers == *kubectl* ]] || fail "managedFields managers: $managers"

# Output formats.
json=$(k get deploy web -n conf -o json)
/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["kind"]=="Deployment" and d["spec"]["replicas"]==5, d' "$json" ||
  fail "get -o json: $json"
k get deploy web -n conf -o yaml | grep -qx '  replicas: 5' || fail "get -o yaml lacks replicas"
expect 0 "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR" \
  bash -c "'$kubectl_binary' get deploy -n conf -o wide | head -1 | tr -s ' '"
expect 0 "No resources found in conf namespace." k get pods -n conf

# Watch: events arrive on an open `get -w`.
k get configmaps -n conf -w --request-timeout=20s >"$work/watch.out" 2>&1 &
watch_pid=$!
sleep 1
expect 0 "configmap/c1 created" k create -f "$data/configmap.yaml"
for _ in $(seq 400); do grep -q "^c1 " "$work/watch.out" && break; sleep 0.05; done
kill "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true
grep -q '^c1 ' "$work/watch.out" || fail "get -w saw no event: $(cat "$work/watch.out")"

# Patches, labels, annotations, scale.
expect 0 "deployment.apps/web patched" k patch deploy web -n conf \
  -p '{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}'
expect 0 "deployment.apps/web patched" k patch deploy web -n conf --type merge -p '{"metadata":{"labels":{"m":"1"}}}'
expect 0 "deployment.apps/web patched" k patch deploy web -n conf --type json \
  -p '[{"op":"replace","path":"/spec/replicas","value":4}]'
expect 0 "deployment.apps/web patched (no change)" k patch deploy web -n conf --type merge -p '{"spec":{"replicas":4}}'
expect 0 "deployment.apps/web labeled" k label deploy web -n conf tier=front
# kubectl 1.27 printed "annotate" (fixed in 1.28).
annotated=annotated
((minor > 27)) || annotated=annotate
expect 0 "deployment.apps/web $annotated" k annotate deploy web -n conf note=hi
expect 0 "deployment.apps/web scaled" k scale deploy web -n conf --replicas=6
expect 0 "6 nginx:1.27 1 front hi" k get deploy web -n conf \
  -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.m} {.metadata.labels.tier} {.metadata.annotations.note}'
expect 0 "web" k get deploy -n conf -l 'tier in (front),m' -o name --no-headers -o jsonpath='{.items[*].metadata.name}'

# Cascading deletion: a dependent goes with its owner; --cascade=orphan keeps it.
uid=$(k get deploy web -n conf -o jsonpath='{.metadata.uid}')
for name in dep1 dep2; do
  cat >"$work/$name.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: $name
  namespace: conf
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: "$uid"}]
YAML
  k create -f "$work/$name.yaml" >/dev/null
done
expect 0 'deployment.apps "web" deleted' k delete deploy web -n conf
expect 1 'Error from server (NotFound): configmaps "dep1" not found' k get cm dep1 -n conf
k apply -f "$data/deployment.yaml" >/dev/null
uid=$(k get deploy web -n conf -o jsonpath='{.metadata.uid}')
sed "s/uid: \".*\"/uid: \"$uid\"/; s/dep2/dep3/" "$work/dep2.yaml" | k create -f - >/dev/null
expect 0 'deployment.apps "web" deleted' k delete deploy web -n conf --cascade=orphan
expect 0 "dep3" k get cm dep3 -n conf -o jsonpath='{.metadata.name}{.metadata.ownerReferences}'

# Custom resources.
expect 0 "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created" k create -f "$data/crd.yaml"
expect 0 "customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met" \
  k wait --for=condition=Established crd/widgets.example.com --timeout=60s
expect 0 "widget.example.com/w1 created" k create --save-config -f "$data/widget.yaml"
expect 0 "NAME SIZE COLOR AGE
w1 3 red" bash -c "'$kubectl_binary' get wd -n conf -o wide | awk 'NR == 1 {print; next} {print \$1, \$2, \$3}' | tr -s ' '"
sed 's/size: 3/size: 4/' "$data/widget.yaml" >"$work/w2.yaml"
expect 0 "widget.example.com/w1 configured" k apply -f "$work/w2.yaml"
expect 0 "widget.example.com/w1 scaled" k scale widget w1 -n conf --replicas=7
expect 1 'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml' \
  k patch wd w1 -n conf -p '{"spec":{"size":1}}'
expect 1 'The Widget "w1" is invalid: spec.size: Invalid value: "big": spec.size in body must be of type integer: "string"' \
  k patch wd w1 -n conf --type merge -p '{"spec":{"size":"big"}}'
explain=$(k explain widgets.spec)
[[ $explain == *"size"*"How many."* ]] || fail "explain widgets.spec: $explain"
expect 0 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted' k delete crd widgets.example.com
expect 1 "Error from server (NotFound): the server could not find the requested resource" \
  k get --raw /apis/example.com/v1

# Authorization.
expect 0 "yes" k auth can-i create deployments -n conf
expect 1 "no" k auth can-i create deployments -n conf --context sandbox-viewer
expect 0 "yes" k auth can-i list pods -n conf --context sandbox-viewer

# Failure cases, with kubectl's exact words.
expect 1 'Error from server (NotFound): deployments.apps "nope" not found' k get deploy nope -n conf
expect 1 "Error from server (AlreadyExists): error when creating \"$data/configmap.yaml\": configmaps \"c1\" already exists" \
  k create -f "$data/configmap.yaml"
expect 1 "Error from server (Forbidden): error when creating \"$data/configmap.yaml\": configmaps is forbidden: User \"sandbox-viewer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"conf\"" \
  k create -f "$data/configmap.yaml" --context sandbox-viewer
expect 1 'error: You must be logged in to the server (Unauthorized)' \
  k get pods --context sandbox-token --token not-a-token
sed 's/name: c1/name: Bad_Name/' "$data/configmap.yaml" >"$work/bad-name.yaml"
expect 1 "The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" \
  k create -f "$work/bad-name.yaml"
sed 's/namespace: conf/namespace: missing/' "$data/configmap.yaml" >"$work/no-ns.yaml"
expect 1 "Error from server (NotFound): error when creating \"$work/no-ns.yaml\": namespaces \"missing\" not found" \
  k create -f "$work/no-ns.yaml"
k get cm c1 -n conf -o yaml >"$work/stale.yaml"
k label cm c1 -n conf bump=1 >/dev/null
expect 1 "Error from server (Conflict): error when replacing \"$work/stale.yaml\": Operation cannot be fulfilled on configmaps \"c1\": the object has been modified; please apply your changes to the latest version and try again" \
  k replace -f "$work/stale.yaml"
expect 1 'error: the server doesn'"'"'t have a resource type "nosuchthings"' k get nosuchthings

# Namespace deletion removes what it holds.
expect 0 'namespace "conf" deleted' k delete ns conf
expect 1 'Error from server (NotFound): namespaces "conf" not found' k get ns conf
stop_sandbox
echo "kubectl 1.$minor ($kubectl_binary) against kube-sandbox: ok"
