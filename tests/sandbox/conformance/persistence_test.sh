#!/usr/bin/env bash
# --state-dir: objects, the resourceVersion counter, CRDs, the CA and the tokens survive a
# restart (snapshot on SIGTERM), so an old kubeconfig keeps working. Also checks the request
# metrics endpoint and the startup line.
# usage: persistence_test.sh PATH_TO_kube-sandbox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
start_sandbox
[[ $server =~ ^https://127\.0\.0\.1:[0-9]+$ ]] || fail "bad address line: $server"
expect 0 "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created" \
  "$kubectl" create -f "$here/testdata/crd.yaml"
expect 0 "namespace/conf created" "$kubectl" create ns conf
expect 0 "widget.example.com/w1 created" "$kubectl" create -f "$here/testdata/widget.yaml"
rv_before=$("$kubectl" get ns conf -o jsonpath='{.metadata.resourceVersion}')
metrics=$("$kubectl" get --raw /sandbox/metrics)
/usr/bin/python3 -c 'import json,sys; m=json.loads(sys.argv[1]); assert m["resources"]["namespaces"]["create"]==1, m' "$metrics" ||
  fail "metrics: $metrics"
expect 1 'Error from server (Forbidden): forbidden: User "sandbox-viewer" cannot get path "/sandbox/metrics"' \
  "$kubectl" get --raw /sandbox/metrics --context sandbox-viewer
cp "$KUBECONFIG" "$work/old-kubeconfig"
stop_sandbox
[[ -s $work/state/snapshot.json ]] || fail "no snapshot written"

listen=${server#https://} start_sandbox
export KUBECONFIG=$work/old-kubeconfig KUBECACHEDIR=$work/cache2
expect 0 "w1 3" "$kubectl" get widget w1 -n conf -o jsonpath='{.metadata.name} {.spec.size}'
expect 0 "$rv_before" "$kubectl" get ns conf -o jsonpath='{.metadata.resourceVersion}'
expect 0 "yes" "$kubectl" auth can-i list pods --context sandbox-token
expect 0 "namespace/later created" "$kubectl" create ns later
rv_after=$("$kubectl" get ns later -o jsonpath='{.metadata.resourceVersion}')
((rv_after > rv_before)) || fail "resourceVersion went back: $rv_after <= $rv_before"
stop_sandbox
echo "kube-sandbox --state-dir persistence: ok"
