# Sourced by the conformance tests: starts a fresh kube-sandbox on a free port in a temp dir and
# stops it (and removes the dir) on exit, whatever happens.
set -euo pipefail

sandbox_binary=${1:?usage: $0 PATH_TO_kube-sandbox [KUBECTL]}
work=$(mktemp -d)
sandbox_pid=""
background_pid=""  # a kubectl a test runs in the background (stopped on exit too)
cleanup() {
  stop_job "$background_pid"
  if [[ -n $sandbox_pid ]]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?" >&2' ERR

fail() {
  echo "FAIL: $*" >&2
  if [[ -f $work/stderr ]]; then
    echo "--- last sandbox log lines:" >&2
    tail -n 15 "$work/stderr" >&2
  fi
  exit 1
}

# start_sandbox [kube-sandbox flags...]: exports KUBECONFIG, KUBECACHEDIR and HOME for it. Listens
# on $listen (default 127.0.0.1:0).
start_sandbox() {
  "$sandbox_binary" --listen "${listen:-127.0.0.1:0}" --state-dir "$work/state" \
    --kubeconfig-out "$work/kubeconfig" --exit-with-parent "$@" >"$work/stdout" 2>"$work/stderr" &
  sandbox_pid=$!
  for _ in $(seq 200); do
    grep -q '^listening on https://' "$work/stdout" 2>/dev/null && break
    kill -0 "$sandbox_pid" 2>/dev/null || fail "kube-sandbox exited: $(cat "$work/stderr")"
    sleep 0.05
  done
  server=$(sed -n 's/^listening on //p' "$work/stdout")
  [[ -n $server ]] || fail "kube-sandbox did not report its address"
  export KUBECONFIG=$work/kubeconfig KUBECACHEDIR=$work/cache HOME=$work
}

# listening_port FILE: waits up to 10 s for a helper's "listening on PORT" line in FILE (a test
# server or proxy started in the background); prints PORT, or nothing.
listening_port() {
  for _ in $(seq 200); do
    grep -q '^listening on ' "$1" 2>/dev/null && break
    sleep 0.05
  done
  sed -n 's/^listening on //p' "$1"
}

# stop_sandbox: SIGTERM and wait; fails unless it exits 0.
stop_sandbox() {
  kill -TERM "$sandbox_pid"
  local code=0
  wait "$sandbox_pid" || code=$?
  sandbox_pid=""
  ((code == 0)) || fail "kube-sandbox exited $code after SIGTERM"
}

# expect CODE EXPECTED COMMAND...: runs COMMAND and compares its exit code and its combined
# stdout+stderr (exactly) with the expectation.
expect() { check_output all "$@"; }
# expect_first_line CODE EXPECTED COMMAND...: like expect, for the first output line only.
expect_first_line() { check_output first "$@"; }

check_output() {
  local part=$1 want_code=$2 want=$3
  shift 3
  local got code=0
  got=$("$@" 2>&1) || code=$?
  [[ $code == "$want_code" ]] || fail "$* exited $code, want $want_code; output:
$got"
  local compared=$got
  [[ $part == first ]] && compared=${got%%$'\n'*}
  [[ $compared == "$want" ]] || fail "$*: output differs
--- want:
$want
--- got:
$got"
}

# within SECONDS WHAT COMMAND...: retries COMMAND (output discarded) every 0.2 s until it succeeds;
# fails with "WHAT: not within SECONDS s" and the tail of the file $log, when set, otherwise.
within() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what: not within ${seconds}s${log:+; tail of $log:
$(tail -n 20 "$log")}"
    sleep 0.2
  done
}

# children_specs: kind, name, resourceVersion and spec (rules for a Role) of each Mattermost child in
# the namespace ($kubectl; the operator's own objects, labelled name=, left out): what switching an
# installation between operator and client-side mode must not change.
children_specs() {
  "$kubectl" get deploy,svc,ingress,pvc,sa,role,rolebinding -l '!name' -o json |
    /usr/bin/python3 -c '
import json, sys
for item in json.load(sys.stdin)["items"]:
    print(item["kind"], item["metadata"]["name"], item["metadata"]["resourceVersion"],
          json.dumps(item.get("spec", item.get("rules")), sort_keys=True))'
}

# squeeze: collapses runs of spaces (kubectl pads table columns to their widest cell).
squeeze() { tr -s ' '; }

# wait_exit PID SECONDS WHAT: waits for the background job PID to end, failing with "WHAT: still
# running after SECONDS s" if it does not; sets $exit_code to its exit code.
wait_exit() {
  local pid=$1 seconds=$2 what=$3
  local deadline=$((SECONDS + seconds))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "$what: still running after ${seconds}s"
    sleep 0.1
  done
  exit_code=0
  wait "$pid" || exit_code=$?
}

# stop_job PID: kills the background job PID (nothing when empty) and reaps it.
stop_job() {
  [[ -n ${1:-} ]] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# rollout_mattermost: creates deployment mm (one simulated Mattermost server) with
# $kubectl_binary, waits for its rollout and sets $pod to its pod's name.
rollout_mattermost() {
  expect 0 "deployment.apps/mm created" \
    "$kubectl_binary" create deployment mm --image=mattermost/mattermost-team-edition:10.5.2
  expect 0 'deployment "mm" successfully rolled out' bash -c \
    "'$kubectl_binary' rollout status deployment/mm --timeout=60s | tail -n 1"
  pod=$("$kubectl_binary" get pods -l app=mm -o jsonpath='{.items[0].metadata.name}')
  [[ -n $pod ]] || fail "no pod"
}

# check_exec_ends_with_pod POD: a running `kubectl exec -i POD -- cat` ($kubectl_binary) ends when
# POD is deleted, as when the kubelet kills the container and the process with it (SIGKILL):
# exit 137 and "command terminated with exit code 137". Deletes POD.
check_exec_ends_with_pod() {
  local pod=$1
  mkfifo "$work/exec.stdin"
  "$kubectl_binary" exec -i "$pod" -- cat <"$work/exec.stdin" >"$work/exec.out" \
    2>"$work/exec.err" &
  background_pid=$!
  exec 7>"$work/exec.stdin"
  echo ping >&7
  log=$work/exec.err within 60 "cat echoed stdin" grep -q '^ping$' "$work/exec.out"
  expect 0 "pod \"$pod\" deleted" "$kubectl_binary" delete pod "$pod" --wait=false
  wait_exit "$background_pid" 60 "exec in a deleted pod"
  background_pid=""
  exec 7>&-
  [[ $exit_code == 137 ]] ||
    fail "exec in a deleted pod exited $exit_code: $(cat "$work/exec.err")"
  grep -qx "command terminated with exit code 137" "$work/exec.err" ||
    fail "exec in a deleted pod printed: $(cat "$work/exec.err")"
}
