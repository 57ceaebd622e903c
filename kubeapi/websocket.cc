// One of the client's two Boost.Beast translation units (compile cost; websocket_impl.h): dialling
// a WebSocket over OpenSSL and reading or writing single messages of an open connection.
#include "kubeapi/websocket.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <vector>

#include "kubeapi/curl_errors.h"
#include "kubeapi/url.h"
#include "kubeapi/websocket_impl.h"

namespace mm::kubeapi {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;
using websocket_detail::LostConnection;
using websocket_detail::Stop;

namespace {

constexpr std::chrono::seconds kDialTimeout{30};
constexpr std::chrono::seconds kCloseTimeout{5};
constexpr std::chrono::seconds kIdleTimeout{60};  // a ping after 30 s idle; closed after 60 s

bool IsIpLiteral(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

namespace {

HttpResponse Described(const CurlFailure& failure) {
  HttpResponse response;
  response.failure = ClassifyCurlFailure(failure);
  response.failure_message = DescribeCurlFailure(failure);
  return response;
}

// Why a dial failed, in the terms curl_errors.h describes (kubectl's texts for both transports).
HttpResponse DialFailure(CURLcode code, const error_code& ec, const UrlParts& url,
                         const std::string& verified_name, long verify_result = X509_V_OK) {
  CurlFailure failure;
  failure.code = code;
  failure.authority = url.authority;
  failure.verified_name = verified_name;
  failure.detail = ec ? ec.message() : "";
  if (ec && ec.category() == boost::system::system_category()) failure.os_errno = ec.value();
  if (verify_result == X509_V_ERR_IP_ADDRESS_MISMATCH) verify_result = X509_V_ERR_HOSTNAME_MISMATCH;
  failure.ssl_verify_result = verify_result;
  return Described(failure);
}

// The proxy `proxy` could not be reached, or refused the tunnel (`connect_code`, 0 if it did not
// answer); the text names the proxy.
HttpResponse ProxyFailure(CURLcode code, const error_code& ec, const UrlParts& url,
                          const UrlParts& proxy, long connect_code = 0) {
  CurlFailure failure;
  failure.code = code;
  failure.authority = url.authority;
  failure.detail = ec ? ec.message() : "";
  if (ec && ec.category() == boost::system::system_category()) failure.os_errno = ec.value();
  failure.proxy = HostPort(proxy);
  failure.proxy_connect_code = connect_code;
  return Described(failure);
}

HttpResponse StopFailure(Stop stop, const UrlParts& url) {
  return DialFailure(
      stop == Stop::kCancelled ? CURLE_ABORTED_BY_CALLBACK : CURLE_OPERATION_TIMEDOUT, {}, url, "");
}

// Sets up certificate checks and the client identity; returns "" or what is wrong.
std::string ConfigureTls(ssl::context& tls, const TlsConfig& config,
                         const ClientIdentity* identity) {
  error_code ec;
  if (config.insecure_skip_verify) {
    tls.set_verify_mode(ssl::verify_none);
  } else {
    tls.set_verify_mode(ssl::verify_peer);
    if (!config.ca_pem.empty()) {
      tls.add_certificate_authority(asio::buffer(config.ca_pem), ec);
    } else {
      tls.set_default_verify_paths(ec);
    }
    if (ec) return "unable to load root certificates: " + ec.message();
  }
  if (identity != nullptr && !identity->certificate_pem.empty()) {
    tls.use_certificate_chain(asio::buffer(identity->certificate_pem), ec);
    if (!ec) {
      const std::string& key = identity->key_pem.Reveal();
      tls.use_private_key(asio::buffer(key), ssl::context::pem, ec);
    }
    if (ec) return "tls: failed to load the client certificate: " + ec.message();
  }
  return "";
}

// Opens the TCP connection (through an HTTP proxy's CONNECT when configured).
HttpResponse ConnectTcp(WebSocketConnection::Impl& impl, const UrlParts& url,
                        const std::string& proxy_url, const CancellationToken* cancel,
                        SteadyTime deadline) {
  UrlParts hop = url;
  const bool proxied = !proxy_url.empty();
  if (proxied && (!SplitUrl(proxy_url, hop) || hop.scheme != "http")) {
    HttpResponse unsupported;
    unsupported.failure = NetworkFailure::kOther;
    unsupported.failure_message = "Unable to connect to the server: proxy-url " + hop.scheme +
                                  "://" + HostPort(hop) +
                                  ": streams (exec, port-forward) support only http:// proxies";
    return unsupported;
  }
  tcp::resolver resolver(impl.io);
  tcp::resolver::results_type endpoints;
  Stop stop = Stop::kNone;
  error_code ec = impl.Await(
      [&](auto handler) {
        resolver.async_resolve(hop.host, std::to_string(hop.port),
                               [&, handler](error_code e, tcp::resolver::results_type r) mutable {
                                 endpoints = std::move(r);
                                 handler(e);
                               });
      },
      cancel, deadline, stop);
  if (stop != Stop::kNone) return StopFailure(stop, url);
  if (ec && proxied) return ProxyFailure(CURLE_COULDNT_RESOLVE_PROXY, ec, url, hop);
  if (ec) return DialFailure(CURLE_COULDNT_RESOLVE_HOST, ec, hop, "");
  auto& tcp_stream = beast::get_lowest_layer(*impl.stream);
  ec = impl.Await([&](auto handler) { asio::async_connect(tcp_stream, endpoints, handler); },
                  cancel, deadline, stop);
  if (stop != Stop::kNone) return StopFailure(stop, url);
  if (ec && proxied) return ProxyFailure(CURLE_COULDNT_CONNECT, ec, url, hop);
  if (ec) return DialFailure(CURLE_COULDNT_CONNECT, ec, hop, "");
  tcp_stream.set_option(tcp::no_delay(true), ec);
  if (!proxied) return {};

  http::request<http::empty_body> connect{http::verb::connect, HostPort(url), 11};
  connect.set(http::field::host, connect.target());
  if (std::string credentials = ProxyAuthorization(proxy_url); !credentials.empty()) {
    connect.set(http::field::proxy_authorization, credentials);
  }
  ec = impl.Await([&](auto handler) { http::async_write(tcp_stream, connect, handler); }, cancel,
                  deadline, stop);
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a CONNECT answer has no body
  beast::flat_buffer buffer;
  if (!ec && stop == Stop::kNone) {
    ec = impl.Await([&](auto handler) { http::async_read(tcp_stream, buffer, parser, handler); },
                    cancel, deadline, stop);
  }
  if (stop != Stop::kNone) return StopFailure(stop, url);
  if (ec) return ProxyFailure(CURLE_RECV_ERROR, ec, url, hop);
  if (parser.get().result_int() != 200) {
    return ProxyFailure(CURLE_RECV_ERROR, {}, url, hop, parser.get().result_int());
  }
  return {};
}

HttpHeaders LowerCaseHeaders(const websocket::response_type& response) {
  HttpHeaders headers;
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return headers;
}

std::string JoinProtocols(const std::vector<std::string>& protocols) {
  std::string joined;
  for (const std::string& protocol : protocols) joined += (joined.empty() ? "" : ", ") + protocol;
  return joined;
}

// TLS handshake, then the WebSocket upgrade with the request's headers.
HttpResponse Upgrade(WebSocketConnection::Impl& impl, const UrlParts& url,
                     const HttpRequest& request, const std::string& user_agent,
                     const std::string& verified_name, SteadyTime deadline) {
  Stop stop = Stop::kNone;
  auto& tls_stream = impl.stream->next_layer();
  error_code ec = impl.Await([&](auto handler) { tls_stream.async_handshake(handler); },
                             request.cancel, deadline, stop);
  if (stop != Stop::kNone) return StopFailure(stop, url);
  if (ec) {
    long verify = SSL_get_verify_result(tls_stream.native_handle());
    if (verify != X509_V_OK) {
      return DialFailure(CURLE_PEER_FAILED_VERIFICATION, ec, url, verified_name, verify);
    }
    return DialFailure(CURLE_SSL_CONNECT_ERROR, ec, url, verified_name);
  }
  impl.stream->set_option(websocket::stream_base::timeout{kDialTimeout, kIdleTimeout, true});
  // The decorator reads the request's headers (credentials included) only during this call.
  impl.stream->set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
    req.set(http::field::user_agent, user_agent);
    for (const auto& [name, value] : request.headers) req.insert(name, value);
    req.set(http::field::sec_websocket_protocol, JoinProtocols(request.websocket_protocols));
  }));
  websocket::response_type answer;
  ec = impl.Await(
      [&](auto handler) { impl.stream->async_handshake(answer, url.authority, url.path, handler); },
      request.cancel, deadline, stop);
  impl.stream->set_option(websocket::stream_base::decorator([](websocket::request_type&) {}));
  if (stop != Stop::kNone) return StopFailure(stop, url);
  HttpResponse response;
  if (ec && ec != websocket::error::upgrade_declined) {
    return DialFailure(answer.result_int() == 0 ? CURLE_GOT_NOTHING : CURLE_RECV_ERROR, ec, url,
                       verified_name);
  }
  response.status = answer.result_int();
  response.headers = LowerCaseHeaders(answer);
  response.body = answer.body();
  if (ec) return response;  // declined: an ordinary HTTP answer (e.g. a Status)
  impl.protocol = std::string(answer[http::field::sec_websocket_protocol]);
  impl.stream->set_option(websocket::stream_base::timeout{kCloseTimeout, kIdleTimeout, true});
  impl.stream->binary(true);
  impl.stream->auto_fragment(false);
  impl.stream->read_message_max(64 * 1024 * 1024);
  return response;
}

HttpResponse Dial(const CurlTransportOptions& options, const HttpRequest& request) {
  UrlParts url;
  if (!SplitUrl(request.url, url) || url.scheme != "https") {
    HttpResponse response;
    response.failure = NetworkFailure::kOther;
    response.failure_message =
        "Unable to connect to the server: streaming needs an https:// server URL";
    return response;
  }
  auto impl = std::make_unique<WebSocketConnection::Impl>();
  const ClientIdentity* identity =
      request.identity ? request.identity.get() : options.identity.get();
  std::string tls_error = ConfigureTls(impl->tls, options.tls, identity);
  if (!tls_error.empty()) {
    HttpResponse response;
    response.failure = NetworkFailure::kOther;
    response.failure_message = "Unable to connect to the server: " + tls_error;
    return response;
  }
  impl->stream.emplace(impl->io, impl->tls.native_handle());
  const std::string name = options.tls.server_name.empty() ? url.host : options.tls.server_name;
  SSL* ssl_handle = impl->stream->next_layer().native_handle();
  if (!IsIpLiteral(name)) {
    SSL_set_tlsext_host_name(ssl_handle, name.c_str());
    SSL_set1_host(ssl_handle, name.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), name.c_str());
  }
  SteadyTime deadline =
      std::chrono::steady_clock::now() +
      (request.timeout.count() > 0
           ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(request.timeout)
           : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kDialTimeout));
  HttpResponse connected = ConnectTcp(*impl, url, options.proxy_url, request.cancel, deadline);
  if (connected.failure != NetworkFailure::kNone) return connected;
  HttpResponse response = Upgrade(*impl, url, request, options.user_agent, name, deadline);
  if (response.status == 101) {
    response.websocket = std::make_shared<WebSocketConnection>(std::move(impl));
  }
  return response;
}

}  // namespace

HttpResponse WebSocketTransport::RoundTrip(const HttpRequest& request) {
  if (request.websocket_protocols.empty()) return http_->RoundTrip(request);
  return Dial(options_, request);
}

WebSocketConnection::WebSocketConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebSocketConnection::~WebSocketConnection() = default;

const std::string& WebSocketConnection::protocol() const { return impl_->protocol; }

namespace {

Error StopError(Stop stop) {
  return stop == Stop::kCancelled ? Error::Interrupted("interrupted")
                                  : Error::Timeout("timed out reading from the stream");
}

}  // namespace

Result<bool> WebSocketConnection::Read(std::string& message, const CancellationToken* cancel,
                                       SteadyTime deadline) {
  impl_->buffer.clear();
  Stop stop = Stop::kNone;
  error_code ec =
      impl_->Await([&](auto handler) { impl_->stream->async_read(impl_->buffer, handler); }, cancel,
                   deadline, stop);
  if (stop != Stop::kNone) return StopError(stop);
  if (ec == websocket::error::closed) return false;
  if (ec) return LostConnection(ec);
  message = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.clear();
  return true;
}

Result<void> WebSocketConnection::Write(std::string_view message, const CancellationToken* cancel) {
  Stop stop = Stop::kNone;
  error_code ec = impl_->Await(
      [&](auto handler) {
        impl_->stream->async_write(asio::buffer(message.data(), message.size()), handler);
      },
      cancel, SteadyTime::max(), stop);
  if (stop != Stop::kNone) return StopError(stop);
  if (ec) return LostConnection(ec);
  return {};
}

void WebSocketConnection::Close() {
  if (!impl_->stream->is_open()) return;
  Stop stop = Stop::kNone;
  error_code ec = impl_->Await(
      [&](auto handler) { impl_->stream->async_close(websocket::close_code::normal, handler); },
      nullptr, std::chrono::steady_clock::now() + kCloseTimeout, stop);
  (void)ec;  // best effort: the socket is closed either way
  impl_->CloseSocket();
}

}  // namespace mm::kubeapi
