#!/usr/bin/env bash
# Real kubectl finds our binary on PATH and dispatches `kubectl mattermost ...` to it.
set -euo pipefail
binary=${1:?usage: kubectl_plugin_dispatch_test.sh PATH_TO_kubectl-mattermost}
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
[[ -x $kubectl ]] || kubectl=$(command -v kubectl)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$binary" "$work/bin/kubectl-mattermost"
export PATH="$work/bin:/usr/bin:/bin" KUBECACHEDIR="$work/cache" HOME="$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$kubectl" mattermost version --client) || fail "kubectl mattermost version --client exited $?"
[[ $out == "Client Version: v"* ]] || fail "unexpected version output: $out"

json=$("$kubectl" mattermost version --client -o json)
/usr/bin/python3 - "$json" <<'PY' || fail "version -o json is not the expected JSON: $json"
import json, re, sys
doc = json.loads(sys.argv[1])
client = doc["clientVersion"]
assert re.fullmatch(r"v\d+\.\d+\.\d+", client["gitVersion"]), client
assert re.fullmatch(r"[0-9a-f]{40}|unknown", client["gitCommit"]), client
assert client["platform"] == "linux/amd64", client
PY

help=$("$kubectl" mattermost --help)
[[ $help == *"kubectl mattermost <command>"* ]] || fail "help does not say 'kubectl mattermost': $help"
help=$("$kubectl" mattermost version --help)
[[ $help == *"kubectl mattermost version --client"* ]] || fail "version help lacks example: $help"

set +e
err=$("$kubectl" mattermost nosuchcommand 2>&1 >/dev/null); code=$?
set -e
[[ $code -eq 1 ]] || fail "unknown command exited $code, want 1"
[[ $err == 'error: unknown command "nosuchcommand" for "kubectl mattermost"'* ]] || fail "stderr: $err"
echo "kubectl $("$kubectl" version --client -o json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])') dispatched to kubectl-mattermost: ok"
