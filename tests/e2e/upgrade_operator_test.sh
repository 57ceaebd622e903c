#!/usr/bin/env bash
# `upgrade` in operator mode: with the operator's Deployment available the plugin only applies
# the new version and watches; `reconcile --watch --stand-in-operator` (a separate process) stands
# in for the operator image, which cannot run in the sandbox, and does the work. 2 replicas
# 10.8.1 -> 10.9.0 reaches stable with the update job's log shown; a failing migration stops the
# plugin with exit 1; Ctrl-C leaves the upgrade to the operator and a re-run resumes following it;
# `logs --operator` reads the operator's pod.
# usage: upgrade_operator_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
standin=""
upgrading=""
trap '[[ -n $upgrading ]] && kill "$upgrading" 2>/dev/null
[[ -n $standin ]] && kill -CONT "$standin" 2>/dev/null && kill "$standin" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 200
mm() { "$plugin" "$@"; }
image=mattermost/mattermost-enterprise-edition
has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2':
$(cat "$1")"; }

mm install operator >"$work/op.out" 2>"$work/op.err" || fail "install operator: $(cat "$work/op.err")"
"$kubectl" patch deploy mattermost-operator -n mattermost-operator --subresource=status \
  --type=merge -p '{"status":{"conditions":[{"type":"Available","status":"True"}]}}' >/dev/null
# The simulated Deployment controller may rewrite that status until the operator's pod is ready.
"$kubectl" wait deploy/mattermost-operator -n mattermost-operator --for=condition=Available \
  --timeout=120s >/dev/null || fail "the operator Deployment did not become available"
"$plugin" reconcile -A --watch --stand-in-operator 2>"$work/standin.err" &
standin=$!

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
mm install demo --size 1000users --version 10.8.1 --ingress-host demo.local \
  --database-secret db --filestore-local 10Gi --wait --timeout 120s >"$work/install.out" \
  2>"$work/install.err" || fail "install: $(cat "$work/install.err")"
has "$work/install.err" "mode: operator"

# A dry run changes nothing.
mm upgrade demo --version 10.9.0 --dry-run >"$work/dry.out" 2>"$work/dry.err" ||
  fail "dry run: $(cat "$work/dry.err")"
expect 0 "mattermost.installation.mattermost.com/demo upgraded to 10.9.0 (dry run)" cat "$work/dry.out"

mm upgrade demo --version 10.9.0 --wait --timeout 120s >"$work/up.out" 2>"$work/up.err" ||
  fail "upgrade exited $?: $(cat "$work/up.err")"
[[ $(cat "$work/up.out") =~ ^mattermost.installation.mattermost.com/demo\ upgraded\ to\ 10.9.0\ in\ [0-9]+s\ \(stable\)$ ]] ||
  fail "upgrade output: $(cat "$work/up.out")"
has "$work/up.err" "upgrading Mattermost default/demo: 10.8.1 -> 10.9.0 (operator mode"
has "$work/up.err" '  job | {"level":"info","msg":"Migrations completed","applied":2}'
has "$work/up.err" "rollout: 2/2 pods updated and ready"
expect 0 "stable 10.9.0 $image:10.9.0 2" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].status.state} {.items[0].status.version} {.items[1].spec.template.spec.containers[0].image} {.items[1].status.readyReplicas}'
# The stand-in, not the plugin, ran the job and rolled the Deployment.
grep -q '^default/demo: ' "$work/standin.err" || fail "the stand-in did nothing: $(cat "$work/standin.err")"

# A failing migration: the plugin stops at the failed job, the Deployment keeps 10.9.0.
before=$("$kubectl" get deploy demo -o 'jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image}')
code=0
mm upgrade demo --version 10.10.0-fail --wait --timeout 120s >"$work/fail.out" 2>"$work/fail.err" || code=$?
((code == 1)) || fail "failed upgrade exited $code, want 1: $(cat "$work/fail.err")"
has "$work/fail.err" "update job mattermost-update-check failed: BackoffLimitExceeded"
has "$work/fail.err" '  job | {"level":"error","msg":"Failed to apply database migrations"'
[[ $("$kubectl" get deploy demo -o 'jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image}') == "$before" ]] ||
  fail "the failed upgrade changed the Deployment"
mm upgrade demo --rollback --wait --timeout 120s >"$work/back.out" 2>"$work/back.err" ||
  fail "rollback exited $?: $(cat "$work/back.err")"
expect 0 "10.9.0" "$kubectl" get mm demo -o 'jsonpath={.spec.version}'

# Re-running install without --version keeps the upgraded version, as in client-side mode.
mm install demo --size 1000users --ingress-host demo.local --database-secret db \
  --filestore-local 10Gi >"$work/again.out" 2>"$work/again.err" || fail "re-run: $(cat "$work/again.err")"
expect 0 "mattermost.installation.mattermost.com/demo unchanged" cat "$work/again.out"
expect 0 "10.9.0" "$kubectl" get mm demo -o 'jsonpath={.spec.version}'
# An explicit --replicas wins over the size's, with the operator too.
mm install solo --size 100users --replicas 2 --ingress-host solo.local --database-secret db \
  --filestore-local 1Gi --wait --timeout 120s >"$work/solo.out" 2>"$work/solo.err" ||
  fail "install solo: $(cat "$work/solo.err")"
expect 0 "2 2 2" "$kubectl" get mm,deploy solo -o \
  'jsonpath={.items[0].spec.replicas} {.items[1].spec.replicas} {.items[1].status.readyReplicas}'

# Ctrl-C (SIGTERM here: background jobs of scripts ignore SIGINT) while the operator upgrades:
# exit 130 and the upgrade is left to the operator, which carries it on; a re-run resumes
# following it. The stand-in is paused (SIGSTOP) so that the interrupt lands mid-upgrade.
kill -STOP "$standin"
"$plugin" upgrade demo --version 10.10.0 --wait --timeout 120s >"$work/int.out" 2>"$work/int.err" &
upgrading=$!
log="$work/int.err" within 60 "the upgrade to wait for the operator" \
  grep -qx 'waiting for the update job' "$work/int.err"
kill -TERM "$upgrading"
wait_exit "$upgrading" 60 "the interrupted upgrade"
((exit_code == 130)) || fail "interrupted upgrade exited $exit_code, want 130: $(cat "$work/int.err")"
[[ $(tail -1 "$work/int.err") == "error: interrupted (waiting for the update job); the operator continues the upgrade: 'kubectl mattermost status demo -n default' follows it" ]] ||
  fail "interrupted upgrade: $(cat "$work/int.err")"
expect 0 "10.10.0 $image:10.9.0" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].spec.version} {.items[1].spec.template.spec.containers[0].image}'
"$plugin" upgrade demo --version 10.10.0 --wait --timeout 120s >"$work/resume.out" 2>"$work/resume.err" &
upgrading=$!
log="$work/resume.err" within 60 "the re-run to resume" grep -q 'resuming the change' "$work/resume.err"
kill -CONT "$standin"
wait_exit "$upgrading" 150 "the resumed upgrade"
upgrading=""
((exit_code == 0)) || fail "the resumed upgrade exited $exit_code: $(cat "$work/resume.err")"
[[ $(cat "$work/resume.out") =~ ^mattermost.installation.mattermost.com/demo\ upgraded\ to\ 10.10.0\ in\ [0-9]+s\ \(stable\)$ ]] ||
  fail "resumed upgrade output: $(cat "$work/resume.out")"
has "$work/resume.err" '  job | {"level":"info","msg":"Migrations completed","applied":2}'
expect 0 "stable 10.10.0 $image:10.10.0" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].status.state} {.items[0].status.version} {.items[1].spec.template.spec.containers[0].image}'

# Without --wait, operator mode only applies the change and says how to follow it; the operator
# (paused meanwhile, so that what the plugin did is seen alone) then carries it out.
kill -STOP "$standin"
mm upgrade demo --version 10.11.0 >"$work/nowait.out" 2>"$work/nowait.err" ||
  fail "upgrade without --wait: $(cat "$work/nowait.err")"
expect 0 "mattermost.installation.mattermost.com/demo upgrading to 10.11.0" cat "$work/nowait.out"
has "$work/nowait.err" "the operator performs the upgrade; follow it with 'kubectl mattermost status demo -n default' or 'kubectl mattermost logs demo -n default --job update -f'"
expect 0 "10.11.0 $image:10.10.0" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].spec.version} {.items[1].spec.template.spec.containers[0].image}'
kill -CONT "$standin"
"$kubectl" wait mm/demo --for=jsonpath='{.status.version}'=10.11.0 --timeout=120s >/dev/null ||
  fail "the operator did not finish the upgrade: $(cat "$work/standin.err")"

# The operator's own log.
mm logs --operator --tail 1 >"$work/oplog.out" 2>"$work/oplog.err" || fail "logs --operator: $(cat "$work/oplog.err")"
expect 0 '{"level":"info","msg":"Starting workers","controller":"mattermost"}' cat "$work/oplog.out"

kill -TERM "$standin"
wait "$standin" || true
standin=""
echo "PASS"
