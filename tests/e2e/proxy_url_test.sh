#!/usr/bin/env bash
# A kubeconfig `proxy-url` is honoured: requests reach the sandbox through an HTTP CONNECT proxy
# started here (it logs every tunnel it opens), one tunnel serves the whole command (the
# connection is reused), NO_PROXY does not bypass an explicit proxy-url (as client-go), and with
# the proxy gone the command fails instead of going direct.
# usage: proxy_url_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
proxy=""
trap '[[ -n $proxy ]] && kill "$proxy" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --no-simulation
host_port=${server#https://}

/usr/bin/python3 "$here/connect_proxy.py" "$work/proxy.log" >"$work/proxy.out" 2>&1 &
proxy=$!
for _ in $(seq 200); do
  grep -q '^listening on ' "$work/proxy.out" 2>/dev/null && break
  sleep 0.05
done
port=$(sed -n 's/^listening on //p' "$work/proxy.out")
[[ -n $port ]] || fail "the proxy did not start: $(cat "$work/proxy.out")"

# The plugin's own kubeconfig names the proxy; kubectl keeps the direct one.
cp "$KUBECONFIG" "$work/proxied"
KUBECONFIG=$work/proxied "$kubectl" config set-cluster sandbox --proxy-url="http://127.0.0.1:$port" \
  >/dev/null
expect 0 "http://127.0.0.1:$port" "$kubectl" config view --kubeconfig "$work/proxied" \
  -o jsonpath='{.clusters[0].cluster.proxy-url}'

: >"$work/proxy.log"
# Two commands' worth of requests (discovery, a list, /version); NO_PROXY names the sandbox's host,
# which must not matter for an explicit proxy-url.
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
out=$("$plugin" --kubeconfig "$work/proxied" version 2>&1) || fail "version through the proxy: $out"
grep -qx "Server Version: v1.32.4" <<<"$out" || fail "no server version through the proxy: $out"
expect 1 'error: no matches for kind "Mattermost" in version "installation.mattermost.com/v1beta1"' \
  "$plugin" --kubeconfig "$work/proxied" status -A
expect 0 "CONNECT $host_port
CONNECT $host_port" cat "$work/proxy.log"

# Without the proxy the same kubeconfig fails: nothing went around it.
kill "$proxy"
wait "$proxy" 2>/dev/null || true
proxy=""
code=0
out=$("$plugin" --kubeconfig "$work/proxied" version 2>&1) || code=$?
((code == 1)) || fail "version without its proxy exited $code: $out"
grep -q "^error: Unable to connect to the server" <<<"$out" || grep -q "^Unable to connect" <<<"$out" ||
  fail "version without its proxy: unexpected output: $out"
echo PASS
