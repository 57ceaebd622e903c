#!/usr/bin/env bash
# Real kubectl exec over SPDY/3.1 (the remotecommand stream protocols v4 ... channel.k8s.io on the
# raw upgraded connection): what kubectl <= 1.29 speaks, and newer ones when their WebSocket
# attempt fails (here forced with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false). Checks output, stdin
# until EOF, exit codes from the v4 Status, a TTY (with its resize stream) under a
# pseudo-terminal, the end of a running exec when its pod is deleted (exit 137, as when the
# kubelet kills the container), and from the sandbox's request log that SPDY was used.
# usage: kubectl_spdy_exec_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl_binary=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl}
start_sandbox --pod-ready-delay 100
export KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false
k() { "$kubectl_binary" "$@"; }

rollout_mattermost

expect 0 "hi" k exec "$pod" -- echo hi
expect 0 "line one
line two" bash -c "printf 'line one\nline two\n' | '$kubectl_binary' exec -i '$pod' -- cat"
expect 3 "command terminated with exit code 3" k exec "$pod" -- sh -c "exit 3"
expect 127 'exec: "nope": executable file not found in $PATH
command terminated with exit code 127' k exec "$pod" -- nope

# Every exec was a SPDY upgrade (POST answered 101), none a WebSocket one (GET).
log=$work/stderr
spdy_execs=$(grep -c "^POST /api/v1/namespaces/default/pods/$pod/exec?.* code=101 " "$log" || true)
[[ $spdy_execs == 4 ]] || fail "want 4 SPDY exec upgrades in the sandbox log, got $spdy_execs"
! grep -q "^GET /api/v1/namespaces/default/pods/$pod/exec?" "$log" || fail "a WebSocket exec"

# A TTY needs a terminal on kubectl's side: script(1) gives it one. kubectl then asks for stdin,
# stdout and a TTY, and opens the resize stream; the exec must end, not hang.
tty_out=$(timeout 60 script -qec "'$kubectl_binary' exec -it '$pod' -- echo tty-hi" /dev/null \
  </dev/null) || fail "exec -it exited $?: $tty_out"
[[ $tty_out == *tty-hi* ]] || fail "exec -it printed: $tty_out"
grep -q "^POST /api/v1/namespaces/default/pods/$pod/exec?command=echo&command=tty-hi&.*tty=true" \
  "$log" || fail "no SPDY exec with tty=true in the log"
code=0
tty_out=$(timeout 60 script -qec "'$kubectl_binary' exec -it '$pod' -- sh -c 'exit 4'" \
  /dev/null </dev/null) || code=$?
# script(1) -e returns the child's exit code.
[[ $code == 4 && $tty_out == *"command terminated with exit code 4"* ]] ||
  fail "exec -it of exit 4: exited $code: $tty_out"

# A running exec ends when its pod is deleted.
check_exec_ends_with_pod "$pod"
stop_sandbox
echo "kubectl exec over SPDY against kube-sandbox: ok"
