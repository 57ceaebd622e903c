#!/usr/bin/env bash
# `upgrade` and `logs` in client-side mode (no operator): the plugin runs the update job and the
# rollout itself. 2 replicas 10.8.1 -> 10.9.0 reaches stable with the job's log shown; `logs -f`
# started before an upgrade shows the new pods' lines; a version tagged `fail` stops at the failed
# job with its log tail and exit 1, the Deployment untouched, and `--rollback` restores; a single
# replica and a downgrade are refused without their flags. `status NAME` shows the failure and
# what to do; `logs` flags (--tail, --timestamps, --all-pods, --prefix, -c, --since, --job -f)
# are checked on the app pods and the update job. Real kubectl checks the objects.
# usage: upgrade_client_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
follower=""
trap '[[ -n $follower ]] && kill "$follower" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 200
mm() { "$plugin" "$@"; }
image=mattermost/mattermost-enterprise-edition

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
install() {
  mm install "$1" --size "$2" --version 10.8.1 --ingress-host "$1.local" \
    --database-secret db --filestore-local 10Gi --wait --timeout 120s >"$work/install.out" \
    2>"$work/install.err" || fail "install $1: $(cat "$work/install.err")"
}
install demo 1000users  # 2 replicas
install solo 100users   # 1 replica
# has FILE TEXT: fails unless FILE holds a line containing TEXT.
has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2':
$(cat "$1")"; }
deploy_state() { "$kubectl" get deploy "$1" -o 'jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image}'; }

# Refusals write nothing.
solo_before=$("$kubectl" get mm solo -o 'jsonpath={.metadata.generation}')
expect 1 "error: Mattermost default/solo runs a single replica: a rolling upgrade needs at least \
two replicas (it cannot be performed with only one pod), so Mattermost would be down while its \
pod is replaced; pass --allow-downtime to accept that, or raise spec.replicas to 2 or more first" \
  mm upgrade solo --version 10.9.0
expect 1 "error: 10.8.1 -> 10.7.0 is a downgrade: the database may already hold the newer \
version's schema, which an older Mattermost cannot use; pass --force to downgrade anyway (or \
--rollback to undo the last upgrade)" mm upgrade demo --version 10.7.0
expect 1 "error: --version: invalid version \"10.9!\": must be an image tag (letters, digits, \
'_', '.', '-'; at most 128 characters, not starting with '.' or '-') or sha256:<64 hex digits>
See 'kubectl mattermost upgrade -h' for help and examples" mm upgrade demo --version '10.9!'
expect 1 "error: Mattermost default/nosuch not found (see 'kubectl mattermost status -A')" \
  mm upgrade nosuch --version 10.9.0
expect 1 "error: Mattermost default/demo has no previous version to return to (annotations \
kubectl-mattermost/previous-version and kubectl-mattermost/previous-image are written by \
'upgrade')" mm upgrade demo --rollback
[[ $("$kubectl" get mm solo -o 'jsonpath={.metadata.generation}') == "$solo_before" ]] ||
  fail "a refused upgrade changed the Mattermost"
expect 0 "10.8.1" "$kubectl" get mm demo -o 'jsonpath={.spec.version}'
# The dry run shows the first pass and writes nothing.
mm upgrade demo --version 10.9.0 --dry-run=server >"$work/dry.out" 2>"$work/dry.err" ||
  fail "dry run: $(cat "$work/dry.err")"
expect 0 "mattermost.installation.mattermost.com/demo upgraded to 10.9.0 (server dry run)" \
  cat "$work/dry.out"
has "$work/dry.err" "create update job Job mattermost-update-check"
expect 0 "10.8.1" "$kubectl" get mm demo -o 'jsonpath={.spec.version}'

# 10.8.1 -> 10.9.0: the job's log, then the rollout, then stable.
mm upgrade demo --version 10.9.0 --timeout 120s >"$work/up.out" 2>"$work/up.err" ||
  fail "upgrade exited $?: $(cat "$work/up.err")"
[[ $(cat "$work/up.out") =~ ^mattermost.installation.mattermost.com/demo\ upgraded\ to\ 10.9.0\ in\ [0-9]+s\ \(stable\)$ ]] ||
  fail "upgrade output: $(cat "$work/up.out")"
has "$work/up.err" "upgrading Mattermost default/demo: 10.8.1 -> 10.9.0 (client-side"
has "$work/up.err" "update job mattermost-update-check created"
has "$work/up.err" '  job | {"level":"info","msg":"Starting migration","version":"10.9.0"}'
has "$work/up.err" '  job | {"level":"info","msg":"Migrations completed","applied":2}'
has "$work/up.err" "update job mattermost-update-check succeeded"
has "$work/up.err" "rollout: 2/2 pods updated and ready"
expect 0 "stable 10.9.0 $image:10.9.0 2" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].status.state} {.items[0].status.version} {.items[1].spec.template.spec.containers[0].image} {.items[1].status.readyReplicas}'
expect 0 "10.8.1 $image" "$kubectl" get mm demo -o \
  'jsonpath={.metadata.annotations.kubectl-mattermost/previous-version} {.metadata.annotations.kubectl-mattermost/previous-image}'
expect 0 "" "$kubectl" get job -o name
# Done means done: the same command again changes nothing.
expect 0 "Mattermost default/demo already runs $image:10.9.0: nothing to do
mattermost.installation.mattermost.com/demo unchanged" mm upgrade demo --version 10.9.0

# logs -f, started before the next upgrade, takes up the new pods as they start.
"$plugin" logs demo -f >"$work/follow.out" 2>"$work/follow.err" &
follower=$!
# It follows the pods of 10.9.0 before the upgrade replaces them.
log=$work/follow.err within 60 "logs -f to show the pods of 10.9.0" \
  grep -q '"version":"10.9.0"' "$work/follow.out"
mm upgrade demo --version 10.10.0 --timeout 120s >"$work/up2.out" 2>"$work/up2.err" ||
  fail "second upgrade exited $?: $(cat "$work/up2.err")"
new_pods=$("$kubectl" get pods -l app=mattermost,installation.mattermost.com/installation=demo \
  -o jsonpath="{.items[?(@.spec.containers[0].image==\"$image:10.10.0\")].metadata.name}")
[[ $(wc -w <<<"$new_pods") == 2 ]] || fail "pods of 10.10.0: '$new_pods'"
# followed_new_pods: whether logs -f has shown the first line of every pod of 10.10.0 (it opens
# their streams one after the other: one pod's line does not mean the other's is there).
followed_new_pods() {
  local pod
  for pod in $new_pods; do
    grep -qF "[pod/$pod/mattermost] {\"level\":\"info\",\"msg\":\"Server is initializing...\",\"version\":\"10.10.0\"}" \
      "$work/follow.out" || return 1
  done
}
log=$work/follow.err within 60 "logs -f to show both pods of 10.10.0" followed_new_pods
kill -TERM "$follower"
code=0
wait "$follower" || code=$?
follower=""
((code == 130)) || fail "logs -f exited $code after SIGTERM, want 130: $(cat "$work/follow.err")"
has "$work/follow.out" '"version":"10.9.0"'  # the pods that were there when it started

# A failing migration: exit 1 with the job's log tail, the Deployment untouched.
before=$(deploy_state demo)
code=0
mm upgrade demo --version 10.11.0-fail --timeout 120s >"$work/fail.out" 2>"$work/fail.err" || code=$?
((code == 1)) || fail "failed upgrade exited $code, want 1: $(cat "$work/fail.err")"
has "$work/fail.err" "update job mattermost-update-check failed: BackoffLimitExceeded: Job has reached the specified backoff limit; container mattermost exited 1 (Error)"
has "$work/fail.err" "last lines of its log:"
has "$work/fail.err" '  job | {"level":"error","msg":"Failed to apply database migrations","error":"migration 000123_alter_threads failed: pq: deadlock detected"}'
has "$work/fail.err" "Deployment demo was not changed: it still runs $image:10.10.0"
has "$work/fail.err" "  kubectl mattermost upgrade demo -n default --rollback   # back to 10.10.0"
has "$work/fail.err" "  kubectl mattermost logs demo -n default --job update    # the job's whole log"
[[ $(tail -1 "$work/fail.err") == "error: the upgrade of Mattermost default/demo to 10.11.0-fail failed: its database migration (update job) failed" ]] ||
  fail "last line: $(tail -1 "$work/fail.err")"
[[ $(deploy_state demo) == "$before" ]] || fail "the failed upgrade changed the Deployment"
expect 0 "True" "$kubectl" get job mattermost-update-check \
  -o 'jsonpath={.status.conditions[?(@.type=="Failed")].status}'
# The status says so as the operator's would, and `status` names the next commands.
expect 0 "reconciling|update image job failed" "$kubectl" get mm demo -o 'jsonpath={.status.state}|{.status.error}'
mm status demo >"$work/failed-status.out" 2>&1 || fail "status demo: $(cat "$work/failed-status.out")"
[[ $(sed -n 2p "$work/failed-status.out" | squeeze) == *" client update image job failed" ]] ||
  fail "status row: $(cat "$work/failed-status.out")"
[[ $(tail -4 "$work/failed-status.out") == "Next: the update job (the database migration to 10.11.0-fail) failed and the pods still run the previous version:
  kubectl mattermost logs demo -n default --job update   # why it failed
  kubectl mattermost upgrade demo -n default --rollback   # back to 10.10.0
  kubectl mattermost upgrade demo -n default --version V   # or retry, with a fixed version" ]] ||
  fail "status demo after the failed job: $(cat "$work/failed-status.out")"
# Before the next step: the pods, the failed job, the ingress and the job's warning event.
app_pods=$("$kubectl" get pods -l app=mattermost,installation.mattermost.com/installation=demo \
  -o jsonpath='{.items[*].metadata.name}')
for pod in $app_pods; do has "$work/failed-status.out" "  $pod   1/1   Running"; done
for line in "Update job: mattermost-update-check (image $image:10.11.0-fail): 0 active, 0 succeeded, 11 failed" \
  "Ingress: demo (hosts demo.local)" \
  "  Job/mattermost-update-check: BackoffLimitExceeded: Job has reached the specified backoff limit"; do
  grep -qxF -- "$line" "$work/failed-status.out" || fail "status demo lacks '$line': $(cat "$work/failed-status.out")"
done
# -o wide adds the image and observed/generation; -o json and -o yaml print the resources.
mm status -o wide >"$work/wide.out" || fail "status -o wide"
[[ $(head -1 "$work/wide.out" | squeeze) == "NAME STATE VERSION REPLICAS ENDPOINT AGE MODE ERROR IMAGE OBSERVED" ]] ||
  fail "status -o wide: $(cat "$work/wide.out")"
generation=$("$kubectl" get mm demo -o 'jsonpath={.metadata.generation}')
[[ $(grep '^demo ' "$work/wide.out" | squeeze) == *" update image job failed $image:10.11.0-fail $generation/$generation" ]] ||
  fail "status -o wide: $(cat "$work/wide.out")"
expect 0 "Mattermost demo update image job failed" bash -c "'$plugin' status demo -o json |
  /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); print(d[\"kind\"], d[\"metadata\"][\"name\"], d[\"status\"][\"error\"])'"
expect 0 "['demo', 'solo']" bash -c "'$plugin' status -o yaml |
  /usr/bin/python3 -c 'import sys, yaml; print([i[\"metadata\"][\"name\"] for i in yaml.safe_load(sys.stdin)[\"items\"]])'"

# The failed job stays for its logs.
mm logs demo --job update >"$work/joblog.out" 2>"$work/joblog.err" || fail "logs --job: $(cat "$work/joblog.err")"
has "$work/joblog.out" '{"level":"error","msg":"Failed to apply database migrations"'
# logs' flags. --tail 1: each app pod's last line, with its prefix; --timestamps: the time first.
mm logs demo --tail 1 >"$work/tail.out" || fail "logs --tail 1"
[[ $(wc -l <"$work/tail.out") == 2 ]] || fail "logs --tail 1: $(cat "$work/tail.out")"
for pod in $app_pods; do
  has "$work/tail.out" "[pod/$pod/mattermost] {\"level\":\"info\",\"msg\":\"Metrics and profiling server is started\",\"address\":\":8067\"}"
done
[[ $(mm logs demo --tail 1 --timestamps | grep -cE '^\[pod/demo-[a-z0-9-]+/mattermost\] 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \{"level"') == 2 ]] ||
  fail "logs --timestamps: $(mm logs demo --tail 1 --timestamps)"
# --all-pods adds the update job's pods (11 failed attempts); --prefix and -c with --job.
mm logs demo --all-pods --tail 1 >"$work/all.out" || fail "logs --all-pods"
[[ $(grep -c '^\[pod/demo-' "$work/all.out") == 2 && $(grep -c '^\[pod/mattermost-update-check-[a-z0-9]*/mattermost\] {"level":"error"' "$work/all.out") == 11 ]] ||
  fail "logs --all-pods: $(cat "$work/all.out")"
[[ $(mm logs demo --job update --prefix -c mattermost --tail 1 | grep -c '^\[pod/mattermost-update-check-[a-z0-9]*/mattermost\] {"level":"error"') == 11 ]] ||
  fail "logs --job update --prefix: $(mm logs demo --job update --prefix --tail 1)"
expect 1 "error: container nope is not valid for pod ${app_pods%% *}: choose one of [mattermost]" \
  mm logs demo -c nope
expect 1 "error: no restore job for Mattermost default/demo: job demo-restore not found" \
  mm logs demo --job restore
# --since: the job's pods wrote their lines seconds ago.
sleep 2
expect 0 "" mm logs demo --job update --since 1s
[[ $(mm logs demo --job update --since 1h | wc -l) -gt 11 ]] || fail "logs --since 1h: nothing"
# -f on a job that has ended: its lines, then it stops (a running job: below).
timeout 120 "$plugin" logs demo --job update -f --tail 1 >"$work/jobf.out" 2>"$work/jobf.err" ||
  fail "logs --job update -f exited $?: $(cat "$work/jobf.err")"
[[ $(grep -c '"msg":"Failed to apply database migrations"' "$work/jobf.out") == 11 ]] ||
  fail "logs --job update -f: $(cat "$work/jobf.out")"
expect 0 "job mattermost-update-check failed: BackoffLimitExceeded" cat "$work/jobf.err"

# --rollback returns to 10.10.0 (the Deployment never left it) and removes the failed job.
mm upgrade demo --rollback --timeout 120s >"$work/back.out" 2>"$work/back.err" ||
  fail "rollback exited $?: $(cat "$work/back.err")"
[[ $(cat "$work/back.out") =~ ^mattermost.installation.mattermost.com/demo\ rolled\ back\ to\ 10.10.0\ in\ [0-9]+s\ \(stable\)$ ]] ||
  fail "rollback output: $(cat "$work/back.out")"
expect 0 "stable 10.10.0 $image:10.10.0" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].status.state} {.items[0].spec.version} {.items[1].spec.template.spec.containers[0].image}'
[[ $(deploy_state demo) == "$before" ]] || fail "the rollback changed the Deployment"
expect 0 "" "$kubectl" get job -o name
expect 0 "" "$kubectl" get mm demo -o 'jsonpath={.status.error}'

# Ctrl-C (SIGTERM here: background jobs of scripts ignore SIGINT) stops at a safe point with 130;
# a re-run resumes; a timeout exits 124 naming what is pending. The never-ready image's migration
# never ends.
"$plugin" upgrade demo --version 10.12.0-never-ready >"$work/int.out" 2>"$work/int.err" &
upgrading=$!
log=$work/int.err within 60 "the upgrade to wait on the running update job" \
  grep -q 'update job pod .* running' "$work/int.err"
kill -TERM "$upgrading"
code=0
wait "$upgrading" || code=$?
((code == 130)) || fail "interrupted upgrade exited $code, want 130: $(cat "$work/int.err")"
has "$work/int.err" "error: interrupted at a safe point (update job pod mattermost-update-check-"
has "$work/int.err" "); run the same command again to resume the upgrade"
code=0
mm upgrade demo --version 10.12.0-never-ready --timeout 2s >"$work/again.out" 2>"$work/again.err" || code=$?
((code == 124)) || fail "timed-out upgrade exited $code, want 124: $(cat "$work/again.err")"
has "$work/again.err" "resuming the change to $image:10.12.0-never-ready (state reconciling)"
has "$work/again.err" "error: timed out after 2s waiting for Mattermost default/demo to run $image:10.12.0-never-ready: still pending: update job pod mattermost-update-check-"
[[ $(deploy_state demo) == "$before" ]] || fail "the unfinished upgrade changed the Deployment"
# logs --job update -f follows the running migration and stops once the job ends (here the
# rollback deletes it).
"$plugin" logs demo --job update -f >"$work/jobf.out" 2>"$work/jobf.err" &
follower=$!
log="$work/jobf.err" within 60 "logs -f to show the running migration" \
  grep -q 'waiting for a dependency' "$work/jobf.out"
mm upgrade demo --rollback --timeout 120s >"$work/back2.out" 2>"$work/back2.err" ||
  fail "second rollback exited $?: $(cat "$work/back2.err")"
wait_exit "$follower" 60 "logs --job update -f once the job was deleted"
follower=""
((exit_code == 0)) || fail "logs --job update -f exited $exit_code: $(cat "$work/jobf.err")"
expect 0 "job mattermost-update-check deleted" tail -n 1 "$work/jobf.err"
expect 0 "stable 10.10.0" "$kubectl" get mm demo -o 'jsonpath={.status.state} {.spec.version}'
expect 0 "" "$kubectl" get job -o name

# A single replica upgrades with --allow-downtime, here to another --image too, on a terminal
# (script(1) gives it one): the progress is one block redrawn in place (cursor up, clear), each
# step a "- " line, then the result.
team=mattermost/mattermost-team-edition
script -qec "'$plugin' upgrade solo --version 10.9.0 --image $team --allow-downtime --timeout 120s" \
  /dev/null >"$work/solo.tty" || fail "solo upgrade exited $?: $(cat -v "$work/solo.tty")"
tr -d '\r' <"$work/solo.tty" >"$work/solo.out"
has "$work/solo.out" $'\e[J- waiting for the update job'
grep -qE $'^\e\\[[0-9]+F\e\\[J- waiting for the update job$' "$work/solo.out" ||
  fail "no redrawn block: $(cat -v "$work/solo.out")"
# Its last drawing: each step once, the job's log, the rollout.
last=$(grep -nE $'^\e\\[[0-9]+F' "$work/solo.out" | tail -1 | cut -d: -f1)
tail -n +"$last" "$work/solo.out" >"$work/solo.block"
for step in "update job mattermost-update-check created" "update job mattermost-update-check succeeded" \
  "rollout: 1/1 pods updated and ready"; do
  [[ $(grep -c -- "- $step\$" "$work/solo.block") == 1 ]] || fail "'$step' not once: $(cat -v "$work/solo.block")"
done
has "$work/solo.block" '  job | {"level":"info","msg":"Migrations completed","applied":2}'
grep -q '^update job mattermost-update-check created$' "$work/solo.out" &&
  fail "plain progress lines on a terminal: $(cat -v "$work/solo.out")"
[[ $(tail -1 "$work/solo.out") =~ ^mattermost.installation.mattermost.com/solo\ upgraded\ to\ 10.9.0\ in\ [0-9]+s\ \(stable\)$ ]] ||
  fail "solo upgrade: $(cat -v "$work/solo.out")"
expect 0 "stable $team:10.9.0" "$kubectl" get mm,deploy solo -o \
  'jsonpath={.items[0].status.state} {.items[1].spec.template.spec.containers[0].image}'
echo "PASS"
