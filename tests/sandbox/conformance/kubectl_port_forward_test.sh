#!/usr/bin/env bash
# Real `kubectl port-forward` against the simulated cluster of a fresh kube-sandbox, in the SPDY
# mode asked for: `websocket` (SPDY/3.1 tunnelled in a WebSocket, kubectl >= 1.31's default) or
# `spdy` (SPDY/3.1 on the raw upgraded connection: KUBECTL_PORT_FORWARD_WEBSOCKETS=false, and
# the only mode of kubectl 1.27). Checks the mode in the sandbox's request log, a ping of the
# simulated Mattermost through the forward, 20 concurrent pings through one kubectl, 12 MiB
# intact through the bulk port, and the error kubectl reports for a port nothing listens on.
# usage: kubectl_port_forward_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl websocket|spdy
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
kubectl_binary=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl websocket|spdy}
mode=${3:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl websocket|spdy}
client=(/usr/bin/python3 "$here/port_forward_client.py")
case $mode in
  websocket) export KUBECTL_PORT_FORWARD_WEBSOCKETS=true want_method=GET ;;
  spdy) export KUBECTL_PORT_FORWARD_WEBSOCKETS=false want_method=POST ;;
  *) fail "unknown mode $mode" ;;
esac
start_sandbox --pod-ready-delay 100
k() { "$kubectl_binary" "$@"; }
forward_pid=""
stop_forward() {
  if [[ -n $forward_pid ]]; then
    kill "$forward_pid" 2>/dev/null || true
    wait "$forward_pid" 2>/dev/null || true
    forward_pid=""
  fi
}
trap 'stop_forward; cleanup' EXIT

# free_port: a local port nobody listens on right now.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_forward LOG PORT_SPEC...: runs kubectl port-forward to the pod in the background and waits
# until it listens on every local port.
start_forward() {
  local log=$1
  shift
  : >"$log"
  k port-forward -n sim "pod/$pod" --address 127.0.0.1 "$@" >"$log" 2>&1 &
  forward_pid=$!
  for _ in $(seq 600); do
    [[ $(grep -c '^Forwarding from' "$log" || true) == "$#" ]] && return 0
    kill -0 "$forward_pid" 2>/dev/null || fail "kubectl port-forward exited: $(cat "$log")"
    sleep 0.05
  done
  fail "kubectl port-forward did not start listening: $(cat "$log")"
}

expect 0 "namespace/sim created" k create ns sim
expect 0 "deployment.apps/web created" k apply -f "$here/testdata/sim-web.yaml"
expect 0 "deployment.apps/web condition met" \
  k wait --for=condition=Available deploy/web -n sim --timeout=60s
pod=$(k get pods -n sim -l app=web -o jsonpath='{.items[0].metadata.name}')
[[ -n $pod ]] || fail "no pod"

http_port=$(free_port)
bulk_port=$(free_port)
start_forward "$work/forward.log" "$http_port:8065" "$bulk_port:9999"
expect 0 "ping ok" "${client[@]}" ping "$http_port" 9.11.1
# The mode kubectl used: its upgrade request succeeded with 101 (a failed WebSocket attempt would
# show as a non-101 GET followed by the SPDY POST).
grep -q "^$want_method /api/v1/namespaces/sim/pods/$pod/portforward .*code=101" "$work/stderr" ||
  fail "no $want_method portforward upgrade with 101 in the sandbox log: $(grep portforward "$work/stderr")"
if [[ $mode == websocket ]] && grep -q "^POST /api/v1/namespaces/sim/pods/$pod/portforward" "$work/stderr"; then
  fail "kubectl fell back to raw SPDY: $(grep portforward "$work/stderr")"
fi
expect 0 "20 concurrent pings ok" "${client[@]}" concurrent "$http_port" 20 9.11.1
expect 0 "bulk 12582912 bytes intact" "${client[@]}" bulk "$bulk_port" 12582912
expect 0 "ping ok" "${client[@]}" ping "$http_port" 9.11.1
kill -0 "$forward_pid" || fail "kubectl port-forward ended early: $(cat "$work/forward.log")"
grep -q "error" "$work/forward.log" && fail "kubectl logged an error: $(cat "$work/forward.log")"
stop_forward

# A port no container serves: the kubelet's error reaches kubectl on the error stream; kubectl
# logs it and ends the session.
dead_port=$(free_port)
start_forward "$work/dead.log" "$dead_port:8066"
"${client[@]}" ping "$dead_port" 9.11.1 >/dev/null 2>&1 && fail "a ping through port 8066 succeeded"
log=$work/dead.log within 60 "kubectl to report the kubelet's error" \
  grep -q "error forwarding port 8066 to pod $pod" "$work/dead.log"
grep -q "error forwarding port 8066 to pod ${pod}_sim, uid [0-9a-f-]*: failed to connect to localhost:8066 inside namespace of pod ${pod}_sim" "$work/dead.log" ||
  fail "kubectl did not report the kubelet's error: $(cat "$work/dead.log")"
stop_forward
echo "PASS: kubectl port-forward ($mode) through kube-sandbox"
