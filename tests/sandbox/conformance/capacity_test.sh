#!/usr/bin/env bash
# Node capacity, seen by real kubectl: with 1-core nodes (--node-cpu 1) a pod asking for 2 cores
# stays Pending with kube-scheduler's FailedScheduling event and condition, while a small one runs.
# usage: capacity_test.sh PATH_TO_kube-sandbox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
start_sandbox --quiet --pod-ready-delay 100 --node-cpu 1 --node-memory 2Gi

expect 0 "1 2Gi 1 2Gi" "$kubectl" get node sandbox-node-1 -o \
  'jsonpath={.status.capacity.cpu} {.status.capacity.memory} {.status.allocatable.cpu} {.status.allocatable.memory}'
for pod in big:2 small:500m; do
  "$kubectl" run "${pod%%:*}" --image=nginx --restart=Never \
    --overrides="{\"spec\":{\"containers\":[{\"name\":\"${pod%%:*}\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"${pod#*:}\"}}}]}}" \
    >/dev/null
done
"$kubectl" wait pod/small --for=condition=Ready --timeout=30s >/dev/null || fail "the small pod did not run"
"$kubectl" wait pod/big --for=condition=PodScheduled=false --timeout=30s >/dev/null ||
  fail "the big pod was not reported unschedulable"
message="0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
expect 0 "Pending Unschedulable $message" "$kubectl" get pod big -o \
  'jsonpath={.status.phase} {.status.conditions[?(@.type=="PodScheduled")].reason} {.status.conditions[?(@.type=="PodScheduled")].message}'
expect 0 "Warning default-scheduler $message" "$kubectl" get events \
  --field-selector reason=FailedScheduling,involvedObject.name=big -o \
  'jsonpath={.items[0].type} {.items[0].source.component} {.items[0].message}'
[[ $("$kubectl" get pod big | squeeze | tail -1) == "big 0/1 Pending 0 "* ]] ||
  fail "kubectl get pod big: $("$kubectl" get pod big)"

# More room on a node (its status patched, as a kubelet would report it): the pod is placed.
"$kubectl" patch node sandbox-node-2 --subresource=status --type=merge \
  -p '{"status":{"allocatable":{"cpu":"4"}}}' >/dev/null
"$kubectl" wait pod/big --for=condition=Ready --timeout=30s >/dev/null ||
  fail "the big pod was not placed on the bigger node: $("$kubectl" get pod big -o yaml)"
expect 0 "sandbox-node-2" "$kubectl" get pod big -o 'jsonpath={.spec.nodeName}'
echo "PASS"
