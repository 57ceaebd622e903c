#pragma once
// The dialer's shared steps (dialer.cc and proxy_tls_tunnel.cc): failures in kubectl's words and
// blocking socket operations during a dial.

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <string>

#include "kubeapi/dialer.h"
#include "kubeapi/io_wait.h"
#include "kubeapi/transfer_failure.h"

namespace mm::kubeapi {

// Where and why a dial failed (`verified_name`: the name checked in the certificate).
HttpResponse DialFailure(TransferError error, const boost::system::error_code& ec,
                         const UrlParts& url, const std::string& verified_name,
                         long verify_result = X509_V_OK);

// The proxy `proxy` could not be reached, or refused the tunnel (`connect_code`, 0 if it did not
// answer); the text names the proxy.
HttpResponse ProxyFailure(TransferError error, const boost::system::error_code& ec,
                          const UrlParts& url, const UrlParts& proxy, long connect_code = 0);

// Names the TLS peer of `handle` for SNI and the certificate check (a host name or an IP literal),
// and offers the ALPN protocols `alpn` (wire format; "" for none).
void NameTlsPeer(SSL* handle, const std::string& name, const std::string& alpn);

// The dial was cancelled or ran out of time.
HttpResponse StopFailure(IoStop stop, const UrlParts& url);

// Runs one operation on `stream`'s socket until it completes, closing the socket on a stop.
template <typename Start>
boost::system::error_code Await(boost::asio::io_context& io, TlsStream& stream,
                                const DialTarget& target, SteadyTime deadline, IoStop& stop,
                                Start start) {
  return AwaitIo(io, start, target.cancel, deadline, stop, [&stream] {
    boost::system::error_code ignored;
    stream.next_layer().close(ignored);
  });
}

}  // namespace mm::kubeapi
