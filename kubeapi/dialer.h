#pragma once
// Opening a connection to the API server, for the client's Asio translation units (the REST
// connection and the WebSocket): DNS, TCP, an HTTP proxy's CONNECT tunnel (or forwarding, for
// http:// servers), then the TLS handshake with SNI, ALPN and the certificate checks. Failures are
// reported in kubectl's words (transfer_failure.h).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <string>

#include "kubeapi/cancellation.h"
#include "kubeapi/http.h"
#include "kubeapi/rest_config.h"
#include "kubeapi/steady_time.h"
#include "kubeapi/tls_stream.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {

// Sets up `context` for a client: certificate checks with `tls` (the configured CA, else the
// system roots; none when insecure) and `identity` (may be null; read from memory). Returns "" or
// what is wrong.
std::string ConfigureTlsContext(boost::asio::ssl::context& context, const TlsConfig& tls,
                                const ClientIdentity* identity);

struct DialTarget {
  UrlParts url;           // the server: https:// (TLS) or http://
  std::string proxy_url;  // the proxy to go through (proxy_selection.h), "" for none
  TlsConfig tls;
  std::string alpn;  // ALPN protocols in wire format ("\x02h2\x08http/1.1"), "" for none
  const CancellationToken* cancel = nullptr;
  SteadyTime deadline = SteadyTime::max();
};

// Connects `stream`'s socket to `target` and, for https://, completes the TLS handshake on it.
// Through an http:// proxy, an https:// server is reached through a CONNECT tunnel and an http://
// one by connecting to the proxy itself (requests then name absolute URLs); through a socks5://
// proxy, both through its CONNECT. Through an https:// proxy, an https:// server is reached
// through a CONNECT tunnel inside TLS with the proxy (proxy_tls_tunnel.h); http:// servers are
// not supported there. Returns a response whose
// failure is kNone on success, else the failure as kubectl words it. The socket is closed on
// failure.
HttpResponse Dial(boost::asio::io_context& io, TlsStream& stream, const DialTarget& target);

// Whether `host` is an IPv4 or IPv6 literal.
bool IsIpLiteral(const std::string& host);

}  // namespace mm::kubeapi
