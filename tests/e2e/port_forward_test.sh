#!/usr/bin/env bash
# `port-forward` end to end: a client-side installation in a fresh sandbox over TLS; the command
# waits (by watch) for a ready pod of the installation's Service (not a decoy pod that only the
# installation's labels select, nor one that is not Ready), then serves 50 concurrent HTTP
# requests and a 100 MB transfer intact, picks the replacement pod after the pod is deleted mid-forward, falls back to a free
# port when 8065 is taken, exits 130 on Ctrl-C, and listens on --address.
# usage: port_forward_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
python=/usr/bin/python3
start_sandbox --quiet --pod-ready-delay 300

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
"$plugin" install demo --size 100users --ingress-host demo.local --database-secret db \
  --filestore-local 10Gi --wait --timeout 120s >"$work/install.out" 2>&1 ||
  fail "install --wait failed: $(cat "$work/install.out")"

forwarder_pid=""
stop_forwarder() {
  if [[ -n $forwarder_pid ]]; then
    kill -INT "$forwarder_pid" 2>/dev/null || true
    wait "$forwarder_pid" 2>/dev/null || true
    forwarder_pid=""
  fi
}
trap 'stop_forwarder; cleanup' EXIT

# start_forwarder NAME ARGS...: runs port-forward in the background; output in $work/NAME.out/.err.
start_forwarder() {
  local name=$1
  shift
  "$plugin" port-forward "$@" >"$work/$name.out" 2>"$work/$name.err" &
  forwarder_pid=$!
}
# forwarded_port NAME: waits (up to 120 s) for the "Forwarding from" line; prints the local port.
forwarded_port() {
  local line
  for _ in $(seq 1200); do
    line=$(grep -m1 '^Forwarding from ' "$work/$1.out" 2>/dev/null || true)
    if [[ -n $line ]]; then
      line=${line%% ->*}
      echo "${line##*:}"
      return
    fi
    kill -0 "$forwarder_pid" 2>/dev/null || fail "port-forward exited: $(cat "$work/$1.err")"
    sleep 0.1
  done
  fail "port-forward printed no 'Forwarding from' line: $(cat "$work/$1.err")"
}
# wait_for_text FILE TEXT: waits (up to 120 s) until FILE contains TEXT.
wait_for_text() {
  for _ in $(seq 1200); do
    grep -qF "$2" "$1" 2>/dev/null && return
    sleep 0.1
  done
  fail "no '$2' in $1: $(cat "$1")"
}

# 1. No ready pod of the Service yet: the command waits for one (watching the pods), then
# forwards. Two decoys sort before the Deployment's pods: demo-0-other, Ready and labelled
# app=mattermost and installation=demo (what the label fallback selects) but without the
# Service's installation.mattermost.com/resource label, serving another version; and
# demo-00-never-ready, which the Service selects but which never becomes Ready. Neither may be
# picked: only a Ready pod that the Service's selector matches.
"$kubectl" scale deployment demo --replicas=0 >/dev/null
for _ in $(seq 600); do
  [[ -z $("$kubectl" get pods -l app=mattermost -o name) ]] && break
  sleep 0.1
done
[[ -z $("$kubectl" get pods -l app=mattermost -o name) ]] || fail "pods left after scaling to 0"
expect 0 "app=mattermost installation.mattermost.com/installation=demo installation.mattermost.com/resource=demo" \
  bash -c "'$kubectl' get service demo -o json | '$python' -c 'import json, sys
print(\" \".join(\"%s=%s\" % i for i in sorted(json.load(sys.stdin)[\"spec\"][\"selector\"].items())))'"
decoy() { # decoy NAME TAG LABELS
  "$kubectl" run "$1" --image="mattermost/mattermost-enterprise-edition:$2" --labels="$3" \
    --restart=Never >/dev/null || fail "kubectl run $1"
}
decoy demo-0-other 9.9.9 app=mattermost,installation.mattermost.com/installation=demo
decoy demo-00-never-ready 10.8.1-never-ready \
  app=mattermost,installation.mattermost.com/installation=demo,installation.mattermost.com/resource=demo
"$kubectl" wait --for=condition=Ready pod/demo-0-other --timeout=60s >/dev/null ||
  fail "the decoy pod demo-0-other did not become Ready"
start_forwarder first demo :8065
for _ in $(seq 1200); do
  grep -q '^Forwarding' "$work/first.out" &&
    fail "forwarding before a pod of the Service was ready: $(cat "$work/first.out")"
  grep -qF "Waiting for a ready pod of demo ..." "$work/first.err" && break
  sleep 0.1
done
wait_for_text "$work/first.err" "Waiting for a ready pod of demo ..."
"$kubectl" scale deployment demo --replicas=1 >/dev/null
port=$(forwarded_port first)
pod=$("$kubectl" get pods -l pod-template-hash -o 'jsonpath={.items[0].metadata.name}')
[[ $pod == demo-* && $pod != demo-0* ]] || fail "the Deployment's pod: '$pod'"
expect 0 "Forwarding from 127.0.0.1:$port -> 8065
Mattermost demo is at http://127.0.0.1:$port (pod $pod); Ctrl-C stops forwarding" \
  cat "$work/first.out"
# The answers come from the Deployment's pod (10.8.1), not from the decoy (9.9.9).
expect 0 '{"status":"OK","version":"10.8.1"}' "$python" -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=120).read().decode())' \
  "http://127.0.0.1:$port/api/v4/system/ping"
"$kubectl" delete pod demo-0-other demo-00-never-ready --wait=true >/dev/null

# 2. 50 concurrent HTTP requests all succeed.
expect 0 "50 of 50 pings answered OK" "$python" - "$port" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
url = "http://127.0.0.1:%s/api/v4/system/ping" % sys.argv[1]
def ping(_):
    with urllib.request.urlopen(url, timeout=120) as answer:
        return answer.status == 200 and json.load(answer)["status"] == "OK"
with ThreadPoolExecutor(50) as pool:
    results = list(pool.map(ping, range(50)))
print("%d of 50 pings answered OK" % sum(results))
PY

# 3. 100 MB through the bulk port arrive intact (same SHA-256 as the pattern the pod sends).
# start_bulk PORT SIZE [STARTED]: the sha256 and size of what the bulk port sent; creates the file
# STARTED once the first bytes came.
start_bulk() {
  "$python" - "$@" <<'PY'
import hashlib, socket, sys
port, size = int(sys.argv[1]), int(sys.argv[2])
started = sys.argv[3] if len(sys.argv) > 3 else None
sock = socket.create_connection(("127.0.0.1", port), timeout=300)
sock.sendall(b"%d\n" % size)
got, received = hashlib.sha256(), 0
while True:
    try:
        chunk = sock.recv(1 << 20)
    except ConnectionResetError:
        break
    if not chunk:
        break
    if started and received == 0:
        open(started, "w").close()
    got.update(chunk)
    received += len(chunk)
pattern = bytes(ord("a") + i % 26 for i in range(26 * 40330))  # 1048580 bytes, whole cycles
want, left = hashlib.sha256(), received
while left > 0:
    want.update(pattern[:min(left, len(pattern))])
    left -= min(left, len(pattern))
print("received %d bytes, %s" % (received, "intact" if got.digest() == want.digest() else "CORRUPT"))
PY
}
stop_forwarder
start_forwarder bulk demo 0:9999
bulk=$(forwarded_port bulk)
expect 0 "received 104857600 bytes, intact" start_bulk "$bulk" 104857600

# 4. The pod is deleted mid-forward: the transfer in flight ends, the ReplicaSet's replacement
# becomes ready, and new connections go to it. (Deleted before the transfer began, the pod would
# cut nothing, and the 100 GB would come from its replacement.)
start_bulk "$bulk" 100000000000 "$work/cut.started" >"$work/cut.out" &
cut_pid=$!
within 60 "the transfer to begin" test -e "$work/cut.started"
"$kubectl" delete pod "$pod" --wait=false >/dev/null
wait "$cut_pid" || fail "the cut transfer's reader failed"
grep -q 'intact' "$work/cut.out" || fail "the cut transfer: $(cat "$work/cut.out")"
"$kubectl" wait --for=delete "pod/$pod" --timeout=60s >/dev/null
"$kubectl" wait --for=condition=Ready pod -l app=mattermost --timeout=60s >/dev/null
new_pod=$("$kubectl" get pods -l app=mattermost -o 'jsonpath={.items[0].metadata.name}')
[[ $new_pod != "$pod" ]] || fail "the pod was not replaced"
expect 0 "received 1000000 bytes, intact" start_bulk "$bulk" 1000000
wait_for_text "$work/bulk.err" "Forwarding new connections to pod $new_pod"
kill -0 "$forwarder_pid" || fail "port-forward died with the pod: $(cat "$work/bulk.err")"

# 5. Ctrl-C stops it: exit 130.
kill -INT "$forwarder_pid"
code=0
wait "$forwarder_pid" || code=$?
forwarder_pid=""
((code == 130)) || fail "port-forward exited $code after SIGINT, want 130: $(cat "$work/bulk.err")"
expect 0 "error: interrupted" tail -n1 "$work/bulk.err"

# 6. The default port 8065 taken: a free port instead, and it says so.
"$python" -c 'import socket, time
s = socket.socket()
try:
    s.bind(("127.0.0.1", 8065)); s.listen()
except OSError:
    pass  # someone else holds it: just as good
time.sleep(600)' &
holder_pid=$!
sleep 0.5
start_forwarder default demo
fallback=$(forwarded_port default)
kill "$holder_pid"
[[ $fallback != 8065 ]] || fail "forwarded from the taken port 8065"
expect 0 "Port 8065 on 127.0.0.1 is in use; forwarding from port $fallback instead" \
  cat "$work/default.err"
stop_forwarder

# 7. --address: listens there (any 127.x address is loopback); --open runs xdg-open on the URL
# (a stand-in here that records what it was given).
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "$@" >"%s"\n' "$work/opened" >"$work/bin/xdg-open"
chmod +x "$work/bin/xdg-open"
PATH="$work/bin:$PATH" start_forwarder other demo :8065 --address 127.0.0.2 --open
other=$(forwarded_port other)
pod=$("$kubectl" get pods -l app=mattermost -o 'jsonpath={.items[0].metadata.name}')
expect 0 "Forwarding from 127.0.0.2:$other -> 8065
Mattermost demo is at http://127.0.0.2:$other (pod $pod); Ctrl-C stops forwarding" \
  cat "$work/other.out"
expect 0 '{"status":"OK","version":"10.8.1"}' "$python" -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=120).read().decode())' \
  "http://127.0.0.2:$other/api/v4/system/ping"
expect 0 "Opening http://127.0.0.2:$other in a browser (xdg-open)" cat "$work/other.err"
wait_for_text "$work/opened" "http://127.0.0.2:$other"
stop_forwarder
echo "port-forward: waited for a ready pod, 50 concurrent pings, 100 MB intact, survived the pod's deletion, exit 130 on Ctrl-C, fell back from a taken 8065, --address and --open"
