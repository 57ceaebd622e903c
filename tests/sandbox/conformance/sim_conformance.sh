#!/usr/bin/env bash
# Drives one real kubectl against the simulated cluster of a fresh kube-sandbox: Deployments that
# roll out (rollout status, wait --for=condition=Available), rolling updates, Jobs that complete
# or fail (wait --for=condition=Complete|Failed), pod logs (logs -f ends with the job's pod) and
# Events. Checks kubectl's exact output.
# usage: sim_conformance.sh PATH_TO_kube-sandbox PATH_TO_kubectl
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl_binary=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl}
data=$here/testdata
start_sandbox --pod-ready-delay 150
k() { "$kubectl_binary" "$@"; }
last_line() { "$@" 2>&1 | tail -n 1; }

expect 0 "namespace/sim created" k create ns sim
expect 0 "deployment.apps/web created" k apply -f "$data/sim-web.yaml"
expect 0 'deployment "web" successfully rolled out' last_line k rollout status deploy/web -n sim --timeout=30s
expect 0 "deployment.apps/web condition met" k wait --for=condition=Available deploy/web -n sim --timeout=30s
expect 0 "2 2 2 2 1" k get deploy web -n sim \
  -o jsonpath='{.status.replicas} {.status.updatedReplicas} {.status.readyReplicas} {.status.availableReplicas} {.status.observedGeneration}'
expect 0 "True MinimumReplicasAvailable True NewReplicaSetAvailable" k get deploy web -n sim \
  -o jsonpath='{.status.conditions[?(@.type=="Available")].status} {.status.conditions[?(@.type=="Available")].reason} {.status.conditions[?(@.type=="Progressing")].status} {.status.conditions[?(@.type=="Progressing")].reason}'
expect 0 "Running Running" k get pods -n sim -l app=web -o jsonpath='{.items[*].status.phase}'

# A rolling update: a second ReplicaSet (revision 2) takes over, the first keeps 0 replicas.
expect 0 "deployment.apps/web image updated" \
  k set image deploy/web -n sim mattermost=mattermost/mattermost-enterprise-edition:9.11.2
expect 0 'deployment "web" successfully rolled out' last_line k rollout status deploy/web -n sim --timeout=30s
expect 0 "1:0 2:2" bash -c "'$kubectl_binary' get rs -n sim -o jsonpath='{range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision}:{.spec.replicas}{\"\\n\"}{end}' | sort | paste -sd' '"
expect 0 "2 2" k get deploy web -n sim -o jsonpath='{.status.updatedReplicas} {.status.observedGeneration}'

# Scaling down removes pods.
expect 0 "deployment.apps/web scaled" k scale deploy/web -n sim --replicas=1
expect 0 'deployment "web" successfully rolled out' last_line k rollout status deploy/web -n sim --timeout=30s
one_web_pod() { [[ $(k get pods -n sim -l app=web -o name | wc -l) == 1 ]]; }
within 60 "the scaled-down Deployment to keep one pod" one_web_pod
expect 0 "1" bash -c "'$kubectl_binary' get pods -n sim -l app=web -o name | wc -l"

# Jobs: a busybox job logs its command line; the update job logs its migration and succeeds (and
# `logs -f` ends when its pod ends); a tag with `fail` fails after backoffLimit retries.
expect 0 "job.batch/hello created
job.batch/migrate created
job.batch/migrate-fail created" k apply -f "$data/sim-jobs.yaml"
expect 0 "job.batch/hello condition met" k wait --for=condition=Complete job/hello -n sim --timeout=30s
expect 0 "sh -c echo hello" k logs job/hello -n sim
expect 0 '{"level":"info","msg":"Migrations completed","applied":2}' \
  last_line k logs -f job/migrate -n sim --pod-running-timeout=20s
expect 0 "job.batch/migrate condition met" k wait --for=condition=Complete job/migrate -n sim --timeout=30s
expect 0 "1 CompletionsReached" k get job migrate -n sim \
  -o jsonpath='{.status.succeeded} {.status.conditions[?(@.type=="Complete")].reason}'
expect 0 "job.batch/migrate-fail condition met" \
  k wait --for=condition=Failed job/migrate-fail -n sim --timeout=30s
expect 0 "2 BackoffLimitExceeded Job has reached the specified backoff limit" \
  k get job migrate-fail -n sim -o jsonpath='{.status.failed} {.status.conditions[?(@.type=="Failed")].reason} {.status.conditions[?(@.type=="Failed")].message}'
expect 0 "" k get job migrate-fail -n sim -o jsonpath='{.status.completionTime}'
expect 0 "Complete" k get job hello -n sim -o jsonpath='{.status.conditions[?(@.type=="Complete")].type}'
k get pods -n sim -o wide >"$work/pods" 2>&1
grep -q '^hello-[a-z0-9]\{5\} *0/1 *Completed *0 ' "$work/pods" || fail "job pod not Completed: $(cat "$work/pods")"
grep -q '^migrate-fail-[a-z0-9]\{5\} *0/1 *Error *0 ' "$work/pods" || fail "failed pod not Error: $(cat "$work/pods")"

# Logs options: tailLines, timestamps, limitBytes; container errors.
pod=$(k get pods -n sim -l job-name=migrate -o jsonpath='{.items[0].metadata.name}')
expect 0 '{"level":"info","msg":"Migrations completed","applied":2}' k logs "$pod" -n sim --tail=1
expect 0 '{"level":"info"' k logs "$pod" -n sim --limit-bytes=15
k logs "$pod" -n sim --timestamps --tail=1 | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z \{' ||
  fail "logs --timestamps: $(k logs "$pod" -n sim --timestamps --tail=1)"
expect 1 "error: container nope is not valid for pod $pod" k logs "$pod" -n sim -c nope

# Events from the scheduler, kubelet and controllers.
events=$(k get events -n sim -o jsonpath='{range .items[*]}{.reason}{"\n"}{end}' | sort -u | paste -sd' ')
for reason in BackoffLimitExceeded Completed Created Pulled ScalingReplicaSet Scheduled Started SuccessfulCreate; do
  [[ " $events " == *" $reason "* ]] || fail "no $reason event: $events"
done

# Deleting a job deletes its pods.
expect 0 'job.batch "hello" deleted' k delete job hello -n sim
for _ in $(seq 100); do
  [[ -z $(k get pods -n sim -l job-name=hello -o name) ]] && break
  sleep 0.05
done
expect 0 "No resources found in sim namespace." k get pods -n sim -l job-name=hello
stop_sandbox
echo "simulated cluster with $(basename "$kubectl_binary"): ok"
