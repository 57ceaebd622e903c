#!/usr/bin/env bash
# A kubeconfig `proxy-url` is honoured by both transports, as client-go does: REST requests
# (install --wait, version, status) and WebSocket streams (port-forward) reach the sandbox through
# an HTTP CONNECT proxy started here, which requires credentials (taken from the proxy URL's user
# information, percent-escapes decoded) and logs every tunnel it opens and the bytes it carried.
# NO_PROXY=* does not bypass an explicit proxy-url; the proxy's password never reaches the output,
# even at -v=8; a proxy that is down, or refuses the credentials, gives an error naming the proxy.
# With "https", the proxy speaks TLS (an https:// proxy-url: TLS to the proxy, CONNECT inside it,
# the API server's TLS inside the tunnel); its certificate comes from a CA the plugin's kubeconfig
# trusts next to the sandbox's (client-go checks the proxy with the kubeconfig's CA), and a
# kubeconfig without that CA fails with Go's x509 error, naming nothing it did not check.
# usage: proxy_url_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost [https]
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost [https]}
scheme=${3:-http}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
python=/usr/bin/python3
proxy=""
forwarder=""
stop() {  # stop SIGNAL PID, then wait (background python ignores SIGINT: the proxy gets TERM)
  kill "-$1" "$2" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
}
trap '[[ -n $forwarder ]] && stop INT "$forwarder"; [[ -n $proxy ]] && stop TERM "$proxy"; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 300
host_port=${server#https://}

proxy_tls=()
if [[ $scheme == https ]]; then  # the proxy's own CA and certificate (for 127.0.0.1)
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$work/proxy-ca.key" -out "$work/proxy-ca.crt" -days 2 \
    -subj /CN=proxy-ca >/dev/null 2>&1
  openssl req "${ec[@]}" -keyout "$work/proxy.key" -out "$work/proxy.csr" -subj /CN=proxy \
    >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1\n' >"$work/proxy.ext"
  openssl x509 -req -in "$work/proxy.csr" -CA "$work/proxy-ca.crt" -CAkey "$work/proxy-ca.key" \
    -CAcreateserial -out "$work/proxy.crt" -days 2 -extfile "$work/proxy.ext" >/dev/null 2>&1 ||
    fail "openssl made no proxy certificate"
  proxy_tls=(--tls "$work/proxy.crt" "$work/proxy.key")
fi
"$python" "$here/connect_proxy.py" "$work/proxy.log" 'mm user:p@ss:w' "${proxy_tls[@]}" \
  >"$work/proxy.out" 2>&1 &
proxy=$!
port=$(listening_port "$work/proxy.out")
[[ -n $port ]] || fail "the proxy did not start: $(cat "$work/proxy.out")"
: >"$work/proxy.log"

# The plugin's kubeconfig names the proxy (user "mm user", password "p@ss:w", escaped); kubectl
# keeps the direct one to check the sandbox.
proxied=$work/proxied
cp "$KUBECONFIG" "$proxied"
KUBECONFIG=$proxied "$kubectl" config set-cluster sandbox \
  --proxy-url="$scheme://mm%20user:p%40ss%3Aw@127.0.0.1:$port" >/dev/null
if [[ $scheme == https ]]; then  # the kubeconfig's CA: the sandbox's and the proxy's, one bundle
  cp "$proxied" "$work/untrusting"  # and one that trusts only the sandbox
  "$kubectl" config view --raw -o 'jsonpath={.clusters[0].cluster.certificate-authority-data}' |
    base64 -d >"$work/bundle.crt"
  cat "$work/proxy-ca.crt" >>"$work/bundle.crt"
  KUBECONFIG=$proxied "$kubectl" config set-cluster sandbox --embed-certs \
    --certificate-authority="$work/bundle.crt" >/dev/null
fi
export NO_PROXY='*' no_proxy='*'  # must not matter for an explicit proxy-url (client-go)

# 1. REST: an installation created and waited for, all through the proxy.
printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
"$plugin" --kubeconfig "$proxied" install demo --size 100users --ingress-host demo.local \
  --database-secret db --filestore-local 10Gi --wait --timeout 120s >"$work/install.out" 2>&1 ||
  fail "install --wait through the proxy: $(cat "$work/install.out")"
expect 0 "demo" "$kubectl" get mattermost demo -o 'jsonpath={.metadata.name}'
out=$("$plugin" --kubeconfig "$proxied" -v=8 version 2>&1) || fail "version -v=8: $out"
grep -qx "Server Version: v1.32.4" <<<"$out" || fail "no server version through the proxy: $out"
if grep -qiE 'p@ss|p%40ss|ss:w|bW0gdXNlcjpwQHNzOnc' <<<"$out$(cat "$work/install.out")"; then
  fail "the proxy password was printed: $out"
fi
rest_tunnels=$(grep -c "^CONNECT $host_port 200$" "$work/proxy.log" || true)
((rest_tunnels >= 2)) || fail "REST went around the proxy: $(cat "$work/proxy.log")"
grep -v "^CONNECT $host_port 200$" "$work/proxy.log" | grep -q '^CONNECT' &&
  fail "a CONNECT was refused or went elsewhere: $(cat "$work/proxy.log")"

# 2. A stream: port-forward's WebSocket opens one tunnel per local connection, so three pings
# through the forward are three more tunnels, each carrying its ping.
"$plugin" --kubeconfig "$proxied" port-forward demo :8065 >"$work/forward.out" \
  2>"$work/forward.err" &
forwarder=$!
for _ in $(seq 1200); do
  grep -q '^Forwarding from ' "$work/forward.out" 2>/dev/null && break
  kill -0 "$forwarder" 2>/dev/null || fail "port-forward exited: $(cat "$work/forward.err")"
  sleep 0.1
done
local_port=$(sed -n 's/^Forwarding from 127.0.0.1:\([0-9]*\) .*/\1/p' "$work/forward.out")
[[ -n $local_port ]] || fail "no 'Forwarding from' line: $(cat "$work/forward.err")"
before=$(grep -c "^CONNECT $host_port 200$" "$work/proxy.log")
expect 0 "3 of 3 pings answered OK" "$python" - "$local_port" <<'PY'
import json, sys, urllib.request
url = "http://127.0.0.1:%s/api/v4/system/ping" % sys.argv[1]
ok = 0
for _ in range(3):
    with urllib.request.urlopen(url, timeout=120) as answer:
        ok += answer.status == 200 and json.load(answer)["status"] == "OK"
print("%d of 3 pings answered OK" % ok)
PY
after=$(grep -c "^CONNECT $host_port 200$" "$work/proxy.log")
((after - before >= 3)) || fail "port-forward streams went around the proxy ($before -> $after)"
stop INT "$forwarder"
forwarder=""

# 3. Wrong proxy credentials: refused by the proxy, and the error says so.
wrong=$work/wrong
cp "$proxied" "$wrong"
KUBECONFIG=$wrong "$kubectl" config set-cluster sandbox \
  --proxy-url="$scheme://mm%20user:nope@127.0.0.1:$port" >/dev/null
expect 1 "Unable to connect to the server: proxy 127.0.0.1:$port refused the tunnel (CONNECT answered 407)" \
  "$plugin" --kubeconfig "$wrong" status -A
grep -q "^CONNECT $host_port 407$" "$work/proxy.log" || fail "no 407 logged: $(cat "$work/proxy.log")"

# 3b. An https:// proxy whose certificate the kubeconfig's CA does not vouch for: refused before
# any CONNECT; accepted with insecure-skip-tls-verify.
if [[ $scheme == https ]]; then
  connects=$(grep -c '^CONNECT' "$work/proxy.log")
  expect 1 "Unable to connect to the server: proxyconnect tcp: tls: failed to verify certificate: x509: certificate signed by unknown authority" \
    "$plugin" --kubeconfig "$work/untrusting" status -A
  # The proxy logs the failed handshake once it sees the client hang up, which may be after the
  # client has exited: wait for the line (up to 60 s) instead of reading the log at once.
  for _ in $(seq 600); do
    grep -q '^TLS HANDSHAKE FAILED$' "$work/proxy.log" && break
    sleep 0.1
  done
  grep -q '^TLS HANDSHAKE FAILED$' "$work/proxy.log" || fail "no failed handshake logged"
  (($(grep -c '^CONNECT' "$work/proxy.log") == connects)) || fail "a CONNECT after a failed check"
  # insecure-skip-tls-verify skips the proxy's check too (client-go uses one TLS config for both).
  KUBECONFIG=$work/untrusting "$kubectl" config unset clusters.sandbox.certificate-authority-data \
    >/dev/null
  KUBECONFIG=$work/untrusting "$kubectl" config set-cluster sandbox --insecure-skip-tls-verify=true \
    >/dev/null
  out=$("$plugin" --kubeconfig "$work/untrusting" status -A 2>&1) ||
    fail "status -A through an unchecked https proxy: $out"
  (($(grep -c "^CONNECT" "$work/proxy.log") > connects)) || fail "no CONNECT when insecure"
fi

# 4. With the proxy gone the same kubeconfig fails, naming the proxy: nothing goes around it.
stop TERM "$proxy"
proxy=""
expect 1 "Unable to connect to the server: proxyconnect tcp: dial tcp 127.0.0.1:$port: connect: connection refused" \
  "$plugin" --kubeconfig "$proxied" status -A
echo PASS
