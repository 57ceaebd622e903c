#pragma once
// The sandbox's TLS settings (OpenSSL): certificates, client-certificate checks, ALPN, cipher
// suites, and the identity of a verified client certificate.

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <string>
#include <vector>

#include "core/result.h"

namespace sandbox {

// PEM material for the listener: the server's certificate chain and key, and the CA that
// client certificates must chain to.
struct TlsMaterial {
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;
};

// Sets up `ctx` for the API server: TLS 1.2 and 1.3, `tls`'s certificate and key, client
// certificates requested and checked against the CA (any certificate is accepted during the
// handshake; VerifiedPeer only trusts verified ones), ALPN http/1.1 only, and AES-128-GCM
// preferred. Fails with a transport error naming what was wrong (e.g. a bad PEM).
mm::Result<void> ConfigureServerTls(boost::asio::ssl::context& ctx, const TlsMaterial& tls);

// The user (common name) and groups (organizations) of the client certificate of connection
// `ssl`, when one was sent and verified; empty otherwise.
struct PeerIdentity {
  std::string user;
  std::vector<std::string> groups;
};
PeerIdentity VerifiedPeer(SSL* ssl);

}  // namespace sandbox
