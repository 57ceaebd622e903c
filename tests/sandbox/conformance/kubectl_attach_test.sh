#!/usr/bin/env bash
# Real kubectl attach against simulated containers of a fresh kube-sandbox, over the transport
# asked for: `websocket` (v5.channel.k8s.io, kubectl >= 1.30's default) or `spdy` (SPDY/3.1:
# KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false, and the only transport of kubectl <= 1.29). Checks
# that attach streams what the container writes from then on (the lines its log gets, not the
# earlier ones), that a container with `stdin: true` reads kubectl's stdin, that the session ends
# (exit 0, as the kubelet reports Success) when the pod is deleted and when a job's container
# terminates, and the transport from the sandbox's request log.
# usage: kubectl_attach_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl websocket|spdy
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl_binary=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl websocket|spdy}
mode=${3:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl websocket|spdy}
case $mode in
  websocket) export KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true want_method=GET ;;
  spdy) export KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false want_method=POST ;;
  *) fail "unknown mode $mode" ;;
esac
# Containers start 3 s after scheduling and a job's runs 12 s: long enough for kubectl to attach
# to it on a loaded machine (kubectl attach waits for the pod to be Running first).
start_sandbox --pod-ready-delay 12000
k() { "$kubectl_binary" "$@"; }

# wait_running POD: until the pod's containers run (attach needs that).
wait_running() {
  expect 0 "pod/$1 condition met" k wait --for=jsonpath='{.status.phase}'=Running "pod/$1" \
    --timeout=60s
}

cat >"$work/chat.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: chat}
spec:
  containers:
  - {name: mm, image: "mattermost/mattermost-team-edition:10.5.2", stdin: true}
EOF
cat >"$work/job.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: "busybox:1.36", command: [echo, job done]}
EOF
expect 0 "pod/chat created" k apply -f "$work/chat.yaml"
wait_running chat

# A server that reads stdin: each line it reads becomes a line of its output.
mkfifo "$work/stdin"
k attach -q -i chat <"$work/stdin" >"$work/chat.out" 2>"$work/chat.err" &
background_pid=$!
exec 7>"$work/stdin"
log=$work/stderr within 60 "attach request" \
  grep -q "^$want_method /api/v1/namespaces/default/pods/chat/attach?.* code=101 " "$work/stderr"
echo hello-attach >&7
log=$work/chat.err within 60 "attached output" grep -q '^hello-attach$' "$work/chat.out"
expect 0 "hello-attach" bash -c "'$kubectl_binary' logs chat | tail -n 1"
# Only what was written after attaching: the start-up lines are in the log, not in the output.
# (The log is read whole first: grep -q could end a pipe before kubectl wrote everything.)
chat_log=$(k logs chat)
[[ $chat_log == *"Server is initializing"* ]] || fail "no start-up lines in the log: $chat_log"
expect 0 "hello-attach" cat "$work/chat.out"
expect 0 'pod "chat" deleted' k delete pod chat --wait=false
wait_exit "$background_pid" 60 "attach to a deleted pod"
background_pid=""
exec 7>&-
[[ $exit_code == 0 ]] || fail "attach to a deleted pod exited $exit_code: $(cat "$work/chat.err")"

# A job's container writes its one line (the simulated busybox logs its command line) when it
# exits: attach gets it, then ends with the container. kubectl must attach within the 12 s the
# container runs; on a machine so loaded that it did not (kubectl then reports the pod completed
# or the container gone), the job is run again, up to 3 times.
for attempt in 1 2 3; do
  expect 0 "pod/job created" k apply -f "$work/job.yaml"
  wait_running job
  code=0
  out=$(k attach -q job 2>&1) || code=$?
  [[ $code == 0 && $out == "echo job done" ]] && break
  [[ $out == *"cannot attach a container in a completed pod"* ||
     $out == *"container main not found in pod job_default"* ]] ||
    fail "attach to the job exited $code: $out"
  ((attempt < 3)) || fail "kubectl never attached to the running job: $out"
  expect 0 'pod "job" deleted' k delete pod job
done
[[ $(k get pod job -o jsonpath='{.status.phase}') == Succeeded ]] || fail "job pod not Succeeded"
stop_sandbox
echo "kubectl attach ($mode) against kube-sandbox: ok"
