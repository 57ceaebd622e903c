#!/usr/bin/env bash
# `logs NAME --job restore` on a restore job made with real kubectl (no `restore` command yet): the
# Job NAME-restore, owned by the Mattermost and labelled for the installation as the update job
# is, created suspended (the sandbox then runs no pod) so `logs -f` is surely following before
# the pod exists. It prints the pod's lines with the [pod/P/mattermost] prefix and timestamps,
# stops once the job succeeded (exit 0, "job demo-restore succeeded") or failed ("failed:
# BackoffLimitExceeded", also exit 0, as for the update job), and --tail/--timestamps/--prefix
# hold without -f. Real kubectl checks the job and its pods.
# usage: logs_restore_job_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
follower=""
trap 'stop_job "$follower"; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 300
mm() { "$plugin" "$@"; }

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
mm install demo --size 100users --version 10.8.1 --ingress-host demo.local --database-secret db \
  --filestore-local 10Gi --wait --timeout 120s >"$work/install.out" 2>&1 ||
  fail "install: $(cat "$work/install.out")"
uid=$("$kubectl" get mm demo -o 'jsonpath={.metadata.uid}')

# restore_job TAG: creates the suspended Job demo-restore running the simulated migration of
# mattermost:TAG (its lines are the sandbox's; a TAG with "fail" exits 1), no retries.
restore_job() {
  "$kubectl" create -f - >/dev/null <<EOF || fail "kubectl create job demo-restore"
apiVersion: batch/v1
kind: Job
metadata:
  name: demo-restore
  ownerReferences:
  - {apiVersion: installation.mattermost.com/v1beta1, kind: Mattermost, name: demo, uid: "$uid", controller: true, blockOwnerDeletion: true}
spec:
  suspend: true
  backoffLimit: 0
  template:
    metadata:
      labels: {app: mattermost-restore, installation.mattermost.com/installation: demo}
    spec:
      restartPolicy: Never
      containers:
      - {name: mattermost, image: "mattermost/mattermost-enterprise-edition:$1", args: [db, migrate]}
EOF
  log="$work/stderr" within 60 "job demo-restore suspended" bash -c "[[ \$('$kubectl' get job \
demo-restore -o 'jsonpath={.status.conditions[?(@.type==\"Suspended\")].reason}') == JobSuspended ]]"
}
resume() { "$kubectl" patch job demo-restore -p '{"spec":{"suspend":false}}' >/dev/null; }
# follow_until_end OUT: resumes the job while `logs --job restore -f` (started before) waits, and
# waits for it to stop; $exit_code is its exit code.
follow_until_end() {
  "$plugin" logs demo --job restore -f --prefix --timestamps >"$work/$1.out" 2>"$work/$1.err" &
  follower=$!
  sleep 1 # it has found the job and watches for its pods: none yet
  kill -0 "$follower" 2>/dev/null || fail "logs -f stopped before the job ran: $(cat "$work/$1.err")"
  [[ ! -s $work/$1.out ]] || fail "logs -f printed lines of a job with no pod: $(cat "$work/$1.out")"
  resume
  wait_exit "$follower" 120 "logs --job restore -f after the job ended"
  follower=""
}
# strip_times FILE: FILE's lines with the RFC 3339 time after the prefix removed; fails on a line
# without prefix and time.
strip_times() {
  local bad
  bad=$(grep -vE '^\[pod/[a-z0-9-]+/mattermost\] 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z ' "$1" || true)
  [[ -z $bad ]] || fail "lines without [pod/P/mattermost] and a time in $1: $bad"
  sed -E 's/^(\[[^]]*\]) [^ ]+ /\1 /' "$1"
}
lines() { # lines POD VERSION LAST: the simulated migration's log with its last line LAST
  local start='{"level":"info","msg":"Server is initializing...","go_version":"go1.22.5"}
{"level":"info","msg":"Pinging SQL","database":"master"}
{"level":"info","msg":"Starting migration","version":"VERSION"}
{"level":"info","msg":"Applying migration","name":"000121_create_posts_priority"}
{"level":"info","msg":"Applying migration","name":"000122_add_channel_bookmarks"}'
  printf '%s\n%s\n' "${start//VERSION/$2}" "$3" | sed "s|^|[pod/$1/mattermost] |"
}
pod_of_job() { "$kubectl" get pods -l job-name=demo-restore -o 'jsonpath={.items[*].metadata.name}'; }

# 1. A restore job that succeeds: -f follows it from before its pod starts to the end.
restore_job 10.8.1
follow_until_end ok
((exit_code == 0)) || fail "logs -f of a succeeded restore job exited $exit_code: $(cat "$work/ok.err")"
pod=$(pod_of_job)
[[ $pod == demo-restore-* && $pod != *" "* ]] || fail "restore job pods: '$pod'"
expect 0 "$(lines "$pod" 10.8.1 '{"level":"info","msg":"Migrations completed","applied":2}')" \
  strip_times "$work/ok.out"
expect 0 "job demo-restore succeeded" cat "$work/ok.err"
expect 0 "True 1" "$kubectl" get job demo-restore \
  -o 'jsonpath={.status.conditions[?(@.type=="Complete")].status} {.status.succeeded}'
# Without -f: --tail 2 is the last two lines as they are; with --prefix --timestamps, prefixed.
expect 0 '{"level":"info","msg":"Applying migration","name":"000122_add_channel_bookmarks"}
{"level":"info","msg":"Migrations completed","applied":2}' mm logs demo --job restore --tail 2
mm logs demo --job restore --tail 1 --prefix --timestamps >"$work/tail.out" || fail "logs --tail 1"
expect 0 "[pod/$pod/mattermost] {\"level\":\"info\",\"msg\":\"Migrations completed\",\"applied\":2}" \
  strip_times "$work/tail.out"
# -f once the job has ended: everything, then it stops at once.
timeout 120 "$plugin" logs demo --job restore -f --tail 3 >"$work/ended.out" 2>"$work/ended.err" ||
  fail "logs -f of an ended restore job exited $?: $(cat "$work/ended.err")"
expect 0 '{"level":"info","msg":"Applying migration","name":"000121_create_posts_priority"}
{"level":"info","msg":"Applying migration","name":"000122_add_channel_bookmarks"}
{"level":"info","msg":"Migrations completed","applied":2}' cat "$work/ended.out"
expect 0 "job demo-restore succeeded" cat "$work/ended.err"

# 2. A restore job that fails (no retries): -f shows its error line and stops, naming why.
"$kubectl" delete job demo-restore >/dev/null
log="$work/stderr" within 60 "the first restore job's pod to go" bash -c "[[ -z \$('$kubectl' get \
pods -l job-name=demo-restore -o name) ]]"
restore_job 10.8.1-fail
follow_until_end failed
((exit_code == 0)) ||
  fail "logs -f of a failed restore job exited $exit_code: $(cat "$work/failed.err")"
pod=$(pod_of_job)
[[ $pod == demo-restore-* && $pod != *" "* ]] || fail "failed restore job pods: '$pod'"
expect 0 "$(lines "$pod" 10.8.1-fail '{"level":"error","msg":"Failed to apply database migrations","error":"migration 000123_alter_threads failed: pq: deadlock detected"}')" \
  strip_times "$work/failed.out"
expect 0 "job demo-restore failed: BackoffLimitExceeded" cat "$work/failed.err"
expect 0 "True" "$kubectl" get job demo-restore \
  -o 'jsonpath={.status.conditions[?(@.type=="Failed")].status}'
expect 0 "Error" "$kubectl" get pod "$pod" \
  -o 'jsonpath={.status.containerStatuses[0].state.terminated.reason}'
# The update job is another job: not found, while the restore job is there.
expect 1 "error: no update job for Mattermost default/demo: job mattermost-update-check not found \
(it runs while an upgrade migrates the database and is deleted when it succeeds)" \
  mm logs demo --job update
echo "PASS"
