// One of the client's Asio translation units: DNS, TCP, proxy tunnels and the TLS handshake for
// REST connections and WebSocket streams alike.
#include "kubeapi/dialer.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "kubeapi/dial_support.h"
#include "kubeapi/io_wait.h"
#include "kubeapi/proxy_selection.h"
#include "kubeapi/proxy_tls_tunnel.h"
#include "kubeapi/socks5.h"
#include "kubeapi/transfer_failure.h"

namespace mm::kubeapi {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr std::chrono::seconds kConnectTimeout{30};

HttpResponse Unsupported(const std::string& why) {
  HttpResponse response;
  response.failure = NetworkFailure::kOther;
  response.failure_message = "Unable to connect to the server: " + why;
  return response;
}

// Resolves and connects to `hop` (the server or the proxy). IP literals skip the resolver.
HttpResponse ConnectSocket(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                           const UrlParts& hop, bool proxied, SteadyTime deadline) {
  tcp::resolver::results_type endpoints;
  IoStop stop = IoStop::kNone;
  error_code ec;
  if (IsIpLiteral(hop.host)) {
    endpoints = tcp::resolver::results_type::create(
        tcp::endpoint(asio::ip::make_address(hop.host), static_cast<unsigned short>(hop.port)),
        hop.host, std::to_string(hop.port));
  } else {
    tcp::resolver resolver(io);
    ec = Await(io, stream, target, deadline, stop, [&](auto handler) {
      resolver.async_resolve(hop.host, std::to_string(hop.port),
                             [&, handler](error_code e, tcp::resolver::results_type r) mutable {
                               endpoints = std::move(r);
                               handler(e);
                             });
    });
    if (stop != IoStop::kNone) return StopFailure(stop, target.url);
    if (ec && proxied)
      return ProxyFailure(TransferError::kCouldNotResolveProxy, ec, target.url, hop);
    if (ec) return DialFailure(TransferError::kCouldNotResolveHost, ec, hop, "");
  }
  ec = Await(io, stream, target, deadline, stop,
             [&](auto handler) { asio::async_connect(stream.next_layer(), endpoints, handler); });
  if (stop != IoStop::kNone) return StopFailure(stop, target.url);
  if (ec && proxied) return ProxyFailure(TransferError::kCouldNotConnect, ec, target.url, hop);
  if (ec) return DialFailure(TransferError::kCouldNotConnect, ec, hop, "");
  stream.next_layer().set_option(tcp::no_delay(true), ec);
  return {};
}

// Asks the proxy at `proxy` for a tunnel to the server.
HttpResponse OpenTunnel(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                        const UrlParts& proxy, SteadyTime deadline) {
  http::request<http::empty_body> connect{http::verb::connect, HostPort(target.url), 11};
  connect.set(http::field::host, connect.target());
  if (std::string credentials = ProxyAuthorization(target.proxy_url); !credentials.empty()) {
    connect.set(http::field::proxy_authorization, credentials);
  }
  IoStop stop = IoStop::kNone;
  error_code ec = Await(io, stream, target, deadline, stop, [&](auto handler) {
    http::async_write(stream.next_layer(), connect, handler);
  });
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a CONNECT answer has no body
  boost::beast::flat_buffer buffer;
  if (!ec && stop == IoStop::kNone) {
    ec = Await(io, stream, target, deadline, stop, [&](auto handler) {
      http::async_read(stream.next_layer(), buffer, parser, handler);
    });
  }
  if (stop != IoStop::kNone) return StopFailure(stop, target.url);
  if (ec) return ProxyFailure(TransferError::kReceiveError, ec, target.url, proxy);
  if (parser.get().result_int() != 200) {
    return ProxyFailure(TransferError::kReceiveError, {}, target.url, proxy,
                        parser.get().result_int());
  }
  return {};
}

// Reads exactly `size` bytes from the socket into `out`.
error_code ReadExactly(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                       SteadyTime deadline, IoStop& stop, size_t size, std::string& out) {
  out.assign(size, '\0');
  return Await(io, stream, target, deadline, stop, [&](auto handler) {
    asio::async_read(stream.next_layer(), asio::buffer(out), handler);
  });
}

error_code WriteAll(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                    SteadyTime deadline, IoStop& stop, const std::string& bytes) {
  return Await(io, stream, target, deadline, stop, [&](auto handler) {
    asio::async_write(stream.next_layer(), asio::buffer(bytes), handler);
  });
}

// Asks the SOCKS5 proxy at `proxy` to connect to the server (the proxy resolves names).
HttpResponse OpenSocksTunnel(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                             const UrlParts& proxy, SteadyTime deadline) {
  const std::string where = "socks connect tcp " + HostPort(proxy) + "->" + HostPort(target.url);
  std::string user, password, answer;
  const bool with_password = ProxyCredentials(target.proxy_url, user, password);
  IoStop stop = IoStop::kNone;
  error_code ec = WriteAll(io, stream, target, deadline, stop, Socks5Greeting(with_password));
  if (!ec && stop == IoStop::kNone) ec = ReadExactly(io, stream, target, deadline, stop, 2, answer);
  if (!ec && stop == IoStop::kNone && answer[1] == '\x02' && with_password) {
    ec = WriteAll(io, stream, target, deadline, stop, Socks5Authentication(user, password));
    if (!ec && stop == IoStop::kNone) {
      ec = ReadExactly(io, stream, target, deadline, stop, 2, answer);
    }
    if (!ec && stop == IoStop::kNone && answer[1] != '\0') {
      return Unsupported(where + ": username/password authentication failed");
    }
  } else if (!ec && stop == IoStop::kNone && answer[1] != '\0') {
    return Unsupported(where + ": no acceptable authentication methods");
  }
  if (!ec && stop == IoStop::kNone) {
    ec = WriteAll(io, stream, target, deadline, stop,
                  Socks5Connect(target.url.host, target.url.port));
  }
  if (!ec && stop == IoStop::kNone) ec = ReadExactly(io, stream, target, deadline, stop, 5, answer);
  if (!ec && stop == IoStop::kNone && answer[1] != '\0') {
    return Unsupported(where + ": " + Socks5ReplyText(static_cast<unsigned char>(answer[1])));
  }
  // The bound address that ends the reply: IPv4, a name (its length was the fifth byte), IPv6.
  size_t rest = answer.size() < 5     ? 0
                : answer[3] == '\x01' ? 3 + 2
                : answer[3] == '\x04' ? 15 + 2
                                      : static_cast<unsigned char>(answer[4]) + 2;
  if (!ec && stop == IoStop::kNone) {
    ec = ReadExactly(io, stream, target, deadline, stop, rest, answer);
  }
  if (stop != IoStop::kNone) return StopFailure(stop, target.url);
  if (ec) return ProxyFailure(TransferError::kReceiveError, ec, target.url, proxy);
  return {};
}

HttpResponse Handshake(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                       SteadyTime deadline) {
  const std::string name =
      target.tls.server_name.empty() ? target.url.host : target.tls.server_name;
  NameTlsPeer(stream.native_handle(), name, target.alpn);
  IoStop stop = IoStop::kNone;
  error_code ec = Await(io, stream, target, deadline, stop,
                        [&](auto handler) { stream.async_handshake(handler); });
  if (stop != IoStop::kNone) return StopFailure(stop, target.url);
  if (!ec) return {};
  long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) {
    return DialFailure(TransferError::kPeerFailedVerification, ec, target.url, name, verify);
  }
  return DialFailure(TransferError::kTlsHandshake, ec, target.url, name);
}

}  // namespace

void NameTlsPeer(SSL* handle, const std::string& name, const std::string& alpn) {
  if (!IsIpLiteral(name)) {
    SSL_set_tlsext_host_name(handle, name.c_str());
    SSL_set1_host(handle, name.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), name.c_str());
  }
  if (!alpn.empty()) {
    SSL_set_alpn_protos(handle, reinterpret_cast<const unsigned char*>(alpn.data()),
                        static_cast<unsigned>(alpn.size()));
  }
}

HttpResponse DialFailure(TransferError error, const error_code& ec, const UrlParts& url,
                         const std::string& verified_name, long verify_result) {
  TransferFailure failure;
  failure.error = error;
  failure.authority = url.authority;
  failure.verified_name = verified_name;
  failure.detail = ec ? ec.message() : "";
  if (ec && ec.category() == boost::system::system_category()) failure.os_errno = ec.value();
  if (verify_result == X509_V_ERR_IP_ADDRESS_MISMATCH) verify_result = X509_V_ERR_HOSTNAME_MISMATCH;
  failure.ssl_verify_result = verify_result;
  return FailedResponse(failure);
}

HttpResponse ProxyFailure(TransferError error, const error_code& ec, const UrlParts& url,
                          const UrlParts& proxy, long connect_code) {
  TransferFailure failure;
  failure.error = error;
  failure.authority = url.authority;
  failure.detail = ec ? ec.message() : "";
  if (ec && ec.category() == boost::system::system_category()) failure.os_errno = ec.value();
  failure.proxy = HostPort(proxy);
  failure.proxy_connect_code = connect_code;
  return FailedResponse(failure);
}

HttpResponse StopFailure(IoStop stop, const UrlParts& url) {
  return DialFailure(
      stop == IoStop::kCancelled ? TransferError::kAborted : TransferError::kTimedOut, {}, url, "");
}

bool IsIpLiteral(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string ConfigureTlsContext(ssl::context& context, const TlsConfig& tls,
                                const ClientIdentity* identity) {
  error_code ec;
  if (tls.insecure_skip_verify) {
    context.set_verify_mode(ssl::verify_none);
  } else {
    context.set_verify_mode(ssl::verify_peer);
    if (!tls.ca_pem.empty()) {
      context.add_certificate_authority(asio::buffer(tls.ca_pem), ec);
    } else {
      context.set_default_verify_paths(ec);
    }
    if (ec) return "unable to load root certificates: " + ec.message();
  }
  if (identity != nullptr && !identity->certificate_pem.empty()) {
    context.use_certificate_chain(asio::buffer(identity->certificate_pem), ec);
    if (!ec) {
      const std::string& key = identity->key_pem.Reveal();
      context.use_private_key(asio::buffer(key), ssl::context::pem, ec);
    }
    if (ec) return "tls: failed to load the client certificate: " + ec.message();
  }
  return "";
}

HttpResponse Dial(asio::io_context& io, TlsStream& stream, const DialTarget& target) {
  UrlParts hop = target.url;
  const bool proxied = !target.proxy_url.empty();
  const bool socks = proxied && SplitUrl(target.proxy_url, hop) &&
                     (hop.scheme == "socks5" || hop.scheme == "socks5h");
  const bool tls = target.url.scheme == "https";
  if (proxied && !socks &&
      (!SplitUrl(target.proxy_url, hop) || (hop.scheme != "http" && hop.scheme != "https"))) {
    return Unsupported("proxy-url " + hop.scheme + "://" + HostPort(hop) +
                       ": only http://, https:// and socks5:// proxies are supported");
  }
  const bool tls_proxy = proxied && !socks && hop.scheme == "https";
  if (tls_proxy && !tls) {
    return Unsupported("proxy-url https://" + HostPort(hop) +
                       ": an http:// server cannot be reached through an https:// proxy");
  }
  SteadyTime deadline =
      std::min(target.deadline, std::chrono::steady_clock::now() + kConnectTimeout);
  HttpResponse connected = ConnectSocket(io, stream, target, hop, proxied, deadline);
  if (connected.failure == NetworkFailure::kNone && socks) {
    connected = OpenSocksTunnel(io, stream, target, hop, deadline);
  } else if (connected.failure == NetworkFailure::kNone && tls_proxy) {
    connected = OpenTlsTunnel(io, stream, target, hop, deadline);
  } else if (connected.failure == NetworkFailure::kNone && proxied && tls) {
    connected = OpenTunnel(io, stream, target, hop, deadline);
  }
  if (connected.failure == NetworkFailure::kNone && tls) {
    connected = Handshake(io, stream, target, deadline);
  }
  if (connected.failure != NetworkFailure::kNone) {
    error_code ignored;
    stream.next_layer().close(ignored);
  }
  return connected;
}

}  // namespace mm::kubeapi
