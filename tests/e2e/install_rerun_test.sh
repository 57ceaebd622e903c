#!/usr/bin/env bash
# Re-running `install NAME` changes only what its flags ask for, in client-side mode: after
# `upgrade --version` (finished, or interrupted half-way) a re-run without --version keeps the
# upgraded version instead of applying the default back; a flag given on a re-run changes that
# field only. `--size 100users --replicas 2` runs 2 replicas (the explicit --replicas wins over the
# size's 1); a manifest with both is warned about. Real kubectl checks the objects.
# usage: install_rerun_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
upgrading=""
trap '[[ -n $upgrading ]] && kill "$upgrading" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 200
mm() { "$plugin" "$@"; }
image=mattermost/mattermost-enterprise-edition
has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2':
$(cat "$1")"; }

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
args=(install demo --size 100users --replicas 2 --ingress-host demo.local --database-secret db
  --filestore-local 10Gi)
# state: generation of the Mattermost and of its Deployment, spec.version, replicas, app image.
state() {
  "$kubectl" get mm,deploy demo -o 'jsonpath={.items[0].metadata.generation} {.items[1].metadata.generation} {.items[0].spec.version} {.items[0].spec.replicas} {.items[1].spec.replicas} {.items[1].spec.template.spec.containers[0].image}'
}

# --replicas wins over the size's replicas (100users has 1), the size still sets the resources.
mm "${args[@]}" --wait --timeout 120s >"$work/install.out" 2>"$work/install.err" ||
  fail "install: $(cat "$work/install.err")"
expect 0 "mattermost.installation.mattermost.com/demo created" cat "$work/install.out"
expect 0 "2 2 2 100m 2" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].spec.replicas} {.items[1].spec.replicas} {.items[1].status.readyReplicas} {.items[0].spec.scheduling.resources.requests.cpu} {.items[0].status.replicas}'
# A manifest that sets both keeps the operator's rule (the size wins) and says so.
cat >"$work/both.yaml" <<'EOF'
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata:
  name: other
spec:
  size: 100users
  replicas: 3
  ingress: {enabled: true, host: other.local}
  database: {external: {secret: db}}
  fileStore: {local: {enabled: true, storageSize: 1Gi}}
EOF
# app_replicas FILE: spec.replicas of the Mattermost printed as JSON in FILE.
app_replicas() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["spec"]["replicas"])' "$1"; }
mm install other -f "$work/both.yaml" --dry-run -o json >"$work/both.out" 2>"$work/both.err" ||
  fail "install -f both.yaml: $(cat "$work/both.err")"
has "$work/both.err" "warning: spec.size 100users sets 1 replica(s) and overrides spec.replicas 3 (as the operator does); pass --replicas to choose the number"
[[ $(app_replicas "$work/both.out") == 1 ]] || fail "the size did not set 1 replica: $(cat "$work/both.out")"
mm install other -f "$work/both.yaml" --replicas 3 --dry-run -o json >"$work/both3.out" 2>"$work/both3.err" ||
  fail "install -f both.yaml --replicas 3: $(cat "$work/both3.err")"
[[ $(app_replicas "$work/both3.out") == 3 ]] || fail "--replicas 3 lost: $(cat "$work/both3.out")"
grep -q warning "$work/both3.err" && fail "warned although --replicas was given: $(cat "$work/both3.err")"

# After an upgrade, the same install command changes nothing (it used to apply 10.8.1 back).
mm upgrade demo --version 10.9.0 --timeout 120s >"$work/up.out" 2>"$work/up.err" ||
  fail "upgrade: $(cat "$work/up.err")"
before=$(state)
[[ $before == *" 10.9.0 2 2 $image:10.9.0" ]] || fail "after the upgrade: $before"
for run in 1 2; do
  mm "${args[@]}" >"$work/again.out" 2>"$work/again.err" || fail "re-run $run: $(cat "$work/again.err")"
  expect 0 "mattermost.installation.mattermost.com/demo unchanged" cat "$work/again.out"
  [[ $(state) == "$before" ]] || fail "re-run $run changed the installation: $before -> $(state)"
done
# Changing the version is upgrade's job (downgrade and downtime checks, migration first): an
# explicit --version that differs is refused, naming the command, and nothing changes.
expect 1 "error: Mattermost default/demo runs $image:10.9.0; install does not change the version \
or image of an existing installation: run 'kubectl mattermost upgrade demo -n default --version \
10.8.1' (it checks for a downgrade and for downtime first, and can roll back)" \
  mm "${args[@]}" --version 10.8.1
[[ $(state) == "$before" ]] || fail "the refused re-run changed the installation: $(state)"
# A flag given on a re-run changes its field, and only that one.
mm "${args[@]}" --replicas 3 --wait --timeout 120s >"$work/three.out" 2>"$work/three.err" ||
  fail "--replicas 3: $(cat "$work/three.err")"
expect 0 "mattermost.installation.mattermost.com/demo configured" cat "$work/three.out"
expect 0 "10.9.0 3 3 $image:10.9.0 10.8.1" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].spec.version} {.items[0].spec.replicas} {.items[1].spec.replicas} {.items[1].spec.template.spec.containers[0].image} {.items[0].metadata.annotations.kubectl-mattermost/previous-version}'

# An upgrade interrupted half-way (its migration never ends): the re-run keeps the version the
# upgrade set and does not roll the Deployment back or forward.
"$plugin" upgrade demo --version 10.10.0-never-ready >"$work/int.out" 2>"$work/int.err" &
upgrading=$!
log="$work/int.err" within 60 "the update job's pod to run" grep -q 'update job pod .* running' "$work/int.err"
kill -TERM "$upgrading"
code=0
wait "$upgrading" || code=$?
upgrading=""
((code == 130)) || fail "interrupted upgrade exited $code, want 130: $(cat "$work/int.err")"
mm "${args[@]}" --replicas 3 >"$work/resume.out" 2>"$work/resume.err" ||
  fail "re-run after the interrupted upgrade: $(cat "$work/resume.err")"
expect 0 "mattermost.installation.mattermost.com/demo unchanged" cat "$work/resume.out"
expect 0 "10.10.0-never-ready $image:10.9.0" "$kubectl" get mm,deploy demo -o \
  'jsonpath={.items[0].spec.version} {.items[1].spec.template.spec.containers[0].image}'
echo "PASS"
