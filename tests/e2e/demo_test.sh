#!/usr/bin/env bash
# README's first Quick-start command, `scripts/demo`, on the binaries ctest built: it starts a
# sandbox, installs the demo with `--wait` (real kubectl dispatching to the plugin), shows it with
# `kubectl get` and ends by printing `status`, in which the demo is stable.
# usage: demo_test.sh PATH_TO_SOURCE_DIR PATH_TO_BUILD_DIR
set -euo pipefail
root=${1:?usage: $0 PATH_TO_SOURCE_DIR PATH_TO_BUILD_DIR}
build_dir=${2:?usage: $0 PATH_TO_SOURCE_DIR PATH_TO_BUILD_DIR}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

MM_DEMO_NO_BUILD=1 MM_BUILD_DIR=$build_dir "$root/scripts/demo" >"$out" 2>&1 ||
  fail "scripts/demo exited $?: $(cat "$out")"
# section COMMAND: the lines the demo printed after `$ COMMAND` (up to the next command).
section() { awk -v want="\$ $1" '/^\$ / { on = index($0, want) == 1; next } on' "$out"; }
grep -q '^mattermost.installation.mattermost.com/demo created$' <(section "/usr/lib/google-cloud-sdk/bin/kubectl mattermost install demo") ||
  fail "no install: $(cat "$out")"
# kubectl get mm demo: the CRD's printer columns, State stable.
[[ $(section "/usr/lib/google-cloud-sdk/bin/kubectl get mm demo" | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "STATE") c = i } NR == 2 { print $c }') == stable ]] ||
  fail "kubectl get mm demo: $(cat "$out")"
for child in deployment.apps/demo service/demo ingress.networking.k8s.io/demo; do
  section "/usr/lib/google-cloud-sdk/bin/kubectl get deploy,svc,ingress" | grep -q "^$child " ||
    fail "no $child: $(cat "$out")"
done
# The last thing printed is status: its header and the demo's row, stable and client-side.
[[ $(tail -n 3 "$out" | head -n 1) == "\$ /usr/lib/google-cloud-sdk/bin/kubectl mattermost status" ]] ||
  fail "status is not the last command: $(cat "$out")"
[[ $(tail -n 2 "$out" | head -n 1 | tr -s ' ') == "NAME STATE VERSION REPLICAS ENDPOINT AGE MODE ERROR" ]] ||
  fail "status header: $(cat "$out")"
read -r name state version replicas endpoint age mode error < <(tail -n 1 "$out")
[[ "$name $state $version $replicas $endpoint $mode $error" == \
  "demo stable 10.8.1 1/1 demo.local client <none>" ]] || fail "status row: $(tail -n 1 "$out")"
echo "scripts/demo: install --wait reached stable, kubectl shows it, status ends the demo"
