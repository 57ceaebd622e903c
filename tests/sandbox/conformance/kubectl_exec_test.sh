#!/usr/bin/env bash
# Real kubectl exec (WebSocket v5.channel.k8s.io: kubectl >= 1.30 tries it first) against a
# simulated mattermost pod of a fresh kube-sandbox: output, stdin until EOF, container selection,
# exit codes carried by the status channel, and the end of a running exec when its pod is
# deleted. Checks kubectl's exact output and exit codes.
# usage: kubectl_exec_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl_binary=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl}
start_sandbox --pod-ready-delay 100
# The kubelet (and so the sandbox) announces the streams with an empty message on the first
# output channel as soon as the WebSocket opens. client-go starts reading before it has
# registered its streams, so on loopback kubectl sometimes logs (klog, always on, stderr)
# "Unknown stream id 1, discarding message" for that empty message. The line is client-go's race,
# not part of the answer: k drops exactly that line and keeps everything else and the exit code.
k() {
  local codes
  {
    "$kubectl_binary" "$@" 2>&1 1>&3 3>&- |
      { grep -v '] Unknown stream id [0-9]*, discarding message$' || true; } >&2
    codes=("${PIPESTATUS[@]}")
  } 3>&1
  return "${codes[0]}"
}
# k_first_line ARGS...: the first line k prints on stdout (sed reads everything, so kubectl
# never meets a closed pipe).
k_first_line() { k "$@" | sed -n 1p; }
# k_with_stdin INPUT ARGS...: k with INPUT on its standard input.
k_with_stdin() {
  local input=$1
  shift
  printf '%s' "$input" | k "$@"
}
# WebSockets are kubectl's default for exec since 1.30 (SPDY: kubectl_spdy_exec_test.sh).
export KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true

rollout_mattermost

expect 0 "hi" k exec "$pod" -- echo hi
expect 0 "Version: 10.5.2" \
  k_first_line exec deploy/mm -c mattermost-team-edition -- mattermost version
expect 0 "Server status: OK" k_first_line exec "$pod" -- mmctl --local system status
expect 0 "line one
line two" k_with_stdin $'line one\nline two\n' exec -i "$pod" -- cat
expect 3 "command terminated with exit code 3" k exec "$pod" -- sh -c "exit 3"
expect 127 'exec: "nope": executable file not found in $PATH
command terminated with exit code 127' k exec "$pod" -- nope
# A running exec ends when its pod is deleted (exit 137 on the status channel).
check_exec_ends_with_pod "$pod"
stop_sandbox
echo "kubectl exec against kube-sandbox: ok"
