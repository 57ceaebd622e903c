#!/usr/bin/env bash
# The sandbox's TLS negotiation with the openssl CLI as the client: the server's order decides and
# prefers AES-128-GCM (OpenSSL clients list AES-256 first), while a client that offers only
# another usual suite, or only TLS 1.2, still connects.
# usage: tls_ciphers_test.sh PATH_TO_kube-sandbox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh" "$1"

start_sandbox --quiet --no-simulation
address=${server#https://}
# negotiated OPENSSL_FLAGS...: prints the cipher the handshake chose (stdin closed at once).
negotiated() {
  openssl s_client -connect "$address" "$@" </dev/null 2>/dev/null | sed -n 's/.*Cipher is //p' |
    head -n 1
}
check() {
  local want=$1 got
  shift
  got=$(negotiated "$@" || true)
  [[ $got == "$want" ]] || fail "openssl s_client $*: negotiated '$got', want '$want'"
}
check TLS_AES_128_GCM_SHA256 -tls1_3
check TLS_AES_128_GCM_SHA256 -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256
check TLS_AES_256_GCM_SHA384 -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384
check TLS_CHACHA20_POLY1305_SHA256 -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256
check ECDHE-ECDSA-AES128-GCM-SHA256 -tls1_2
check ECDHE-ECDSA-AES256-GCM-SHA384 -tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384
echo "PASS: AES-128-GCM preferred by the server; other suites and TLS 1.2 still negotiate"
