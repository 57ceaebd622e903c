#!/usr/bin/env bash
# The simulated cluster's node capacity and StatefulSets, seen by real kubectl: with 1-core nodes
# of 5 pod slots (--node-cpu 1 --node-pods 5) a pod asking for 2 cores stays Pending with
# kube-scheduler's FailedScheduling event and condition while a small one runs; a StatefulSet's
# pods come up in order and `kubectl rollout status` follows it.
# usage: workloads_test.sh PATH_TO_kube-sandbox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
start_sandbox --quiet --pod-ready-delay 100 --node-cpu 1 --node-memory 2Gi --node-pods 5

expect 0 "1 2Gi 5 1 2Gi 5" "$kubectl" get node sandbox-node-1 -o \
  'jsonpath={.status.capacity.cpu} {.status.capacity.memory} {.status.capacity.pods} {.status.allocatable.cpu} {.status.allocatable.memory} {.status.allocatable.pods}'
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

# A StatefulSet: ordinal pods, one after the other; rollout status waits for all of them.
"$kubectl" apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16, resources: {requests: {cpu: 100m}}}]}
YAML
"$kubectl" rollout status statefulset/db --timeout=60s >"$work/rollout.out" 2>&1 ||
  fail "rollout status: $(cat "$work/rollout.out")"
revision=$("$kubectl" get statefulset db -o 'jsonpath={.status.updateRevision}')
[[ $(tail -1 "$work/rollout.out") == "statefulset rolling update complete 3 pods at revision $revision..." ]] ||
  fail "rollout status printed: $(cat "$work/rollout.out")"
expect 0 "db-0 db-1 db-2" "$kubectl" get pods -l app=db -o 'jsonpath={.items[*].metadata.name}'
# Created in order: each pod's creation is no earlier than its predecessor's Ready time.
for i in 1 2; do
  created=$("$kubectl" get pod "db-$i" -o 'jsonpath={.metadata.creationTimestamp}')
  ready=$("$kubectl" get pod "db-$((i - 1))" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].lastTransitionTime}')
  [[ ! $created < $ready ]] || fail "db-$i was created ($created) before db-$((i - 1)) was ready ($ready)"
done
expect 0 "3 3 3" "$kubectl" get statefulset db -o \
  'jsonpath={.status.readyReplicas} {.status.currentReplicas} {.status.updatedReplicas}'
echo "PASS"
