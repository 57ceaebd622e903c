#pragma once
// The CONNECT tunnel through an https:// proxy, for the dialer: TLS to the proxy, CONNECT inside
// it, and the API server's own TLS inside that (TLS inside TLS, as client-go does it).

#include <boost/asio/io_context.hpp>

#include "kubeapi/dialer.h"
#include "kubeapi/http.h"
#include "kubeapi/tls_stream.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {

// Over `stream`'s socket, already connected to the https:// proxy `proxy`: completes a TLS
// handshake with the proxy, asks it with CONNECT (and the proxy URL's credentials) for a tunnel to
// `target.url`, and sets `stream` to tunnel through that TLS session, ready for the server's
// handshake. The proxy's certificate is checked as client-go checks it: with the same settings as
// the server's (`stream`'s context: the kubeconfig's certificate-authority, else the system roots;
// not at all with insecure-skip-tls-verify), against the proxy's host name; the client certificate,
// if any, is offered to the proxy too. ALPN offers http/1.1 only. Returns a response whose failure
// is kNone on success, else the failure as kubectl words it (naming the proxy).
HttpResponse OpenTlsTunnel(boost::asio::io_context& io, TlsStream& stream, const DialTarget& target,
                           const UrlParts& proxy, SteadyTime deadline);

}  // namespace mm::kubeapi
