// The only translation unit that includes Boost.Beast for the client (compile cost): dialling a
// WebSocket over OpenSSL and the operations of an open connection.
#include "kubeapi/websocket.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cctype>
#include <optional>
#include <vector>

#include "kubeapi/cancellation.h"
#include "kubeapi/curl_errors.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;
using WsStream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

namespace {

constexpr std::chrono::seconds kDialTimeout{30};
constexpr std::chrono::seconds kCloseTimeout{5};
constexpr std::chrono::seconds kIdleTimeout{60};  // a ping after 30 s idle; closed after 60 s
constexpr size_t kUploadChunk = 256 * 1024;

enum class Stop { kNone, kCancelled, kDeadline };

bool IsIpLiteral(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct WebSocketConnection::Impl {
  asio::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::optional<WsStream> stream;  // built once `tls` is configured
  beast::flat_buffer buffer;
  std::string protocol;

  void CloseSocket() {
    error_code ignored;
    beast::get_lowest_layer(*stream).socket().close(ignored);
  }

  // Runs handlers until `done`; on `cancel` or `deadline` calls `on_stop` once (which must make
  // the pending operations complete) and keeps running until they have. Returns why it stopped.
  template <typename OnStop>
  Stop RunUntil(const bool& done, const CancellationToken* cancel, SteadyTime deadline,
                OnStop on_stop) {
    Stop stop = Stop::kNone;
    while (!done) {
      if (io.stopped()) io.restart();
      io.run_one_for(std::chrono::milliseconds(50));
      if (done || stop != Stop::kNone) continue;
      if (cancel != nullptr && cancel->IsCancelled()) {
        stop = Stop::kCancelled;
      } else if (deadline != SteadyTime::max() && std::chrono::steady_clock::now() >= deadline) {
        stop = Stop::kDeadline;
      }
      if (stop != Stop::kNone) on_stop();
    }
    return stop;
  }

  // Starts one asynchronous operation with `start(handler)` and runs until it completes.
  template <typename Start>
  error_code Await(Start start, const CancellationToken* cancel, SteadyTime deadline, Stop& stop) {
    bool done = false;
    error_code result;
    start([&](error_code ec, auto&&...) {
      result = ec;
      done = true;
    });
    stop = RunUntil(done, cancel, deadline, [this] { CloseSocket(); });
    return result;
  }
};

namespace {

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
  HttpResponse response;
  response.failure = ClassifyCurlFailure(failure);
  response.failure_message = DescribeCurlFailure(failure);
  return response;
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
  if (!proxy_url.empty() && (!SplitUrl(proxy_url, hop) || hop.scheme != "http")) {
    return DialFailure(CURLE_UNSUPPORTED_PROTOCOL, {}, url, "");
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
  if (ec) return DialFailure(CURLE_COULDNT_RESOLVE_HOST, ec, hop, "");
  auto& tcp_stream = beast::get_lowest_layer(*impl.stream);
  ec = impl.Await([&](auto handler) { tcp_stream.async_connect(endpoints, handler); }, cancel,
                  deadline, stop);
  if (stop != Stop::kNone) return StopFailure(stop, url);
  if (ec) return DialFailure(CURLE_COULDNT_CONNECT, ec, hop, "");
  tcp_stream.socket().set_option(tcp::no_delay(true), ec);
  if (proxy_url.empty()) return {};

  http::request<http::empty_body> connect{http::verb::connect,
                                          url.host + ":" + std::to_string(url.port), 11};
  connect.set(http::field::host, connect.target());
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
  if (ec) return DialFailure(CURLE_COULDNT_CONNECT, ec, hop, "");
  if (parser.get().result_int() != 200) {
    return DialFailure(CURLE_RECV_ERROR, error_code(ECONNREFUSED, boost::system::system_category()),
                       hop, "");
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
  error_code ec = impl.Await(
      [&](auto handler) { tls_stream.async_handshake(ssl::stream_base::client, handler); },
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
  impl->stream.emplace(impl->io, impl->tls);
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

Error LostConnection(const error_code& ec) {
  return Error::Transport("lost connection to the server: " + ec.message());
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

namespace {

// Copies between a local socket and one channel of the WebSocket (WebSocketConnection::Pump).
// Runs on the connection's io_context: one upload chain (local read -> WebSocket write) and one
// download chain (WebSocket read -> local write), each with at most one operation in flight.
class SocketPump {
 public:
  SocketPump(WebSocketConnection::Impl& impl, unsigned char channel,
             const WebSocketConnection::ChannelHandler& on_other)
      : impl_(impl), local_(impl.io), channel_(channel), on_other_(on_other), up_(kUploadChunk) {}

  Result<void> Run(int fd, const CancellationToken* cancel) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return Error::Internal("port-forward: not a socket");
    }
    error_code ec;
    local_.assign(asio::generic::stream_protocol(address.ss_family, 0), fd, ec);
    if (ec) return Error::Internal("port-forward: " + ec.message());
    ReadLocal();
    ReadRemote();
    const bool& done = idle_;
    impl_.RunUntil(done, cancel, SteadyTime::max(),
                   [this] { Finish(Error::Interrupted("interrupted"), true); });
    local_.release(ec);
    if (error_) return *error_;
    return {};
  }

 private:
  void Started() {
    ++pending_;
    idle_ = false;
  }
  void Ended() {
    --pending_;
    idle_ = pending_ == 0;
  }

  void ReadLocal() {
    Started();
    local_.async_read_some(asio::buffer(up_.data() + 1, up_.size() - 1), [this](error_code ec,
                                                                                size_t size) {
      Ended();
      if (finished_) return;
      // End of file or an error: the local peer is done (v4 has no
      // half-close, so the WebSocket is closed).
      if (ec) return Finish(std::nullopt, true);
      up_[0] = static_cast<char>(channel_);
      Started();
      impl_.stream->async_write(asio::buffer(up_.data(), size + 1), [this](error_code e, size_t) {
        Ended();
        if (finished_) return;
        if (e) return Finish(LostConnection(e), false);
        ReadLocal();
      });
    });
  }

  void ReadRemote() {
    Started();
    impl_.stream->async_read(impl_.buffer, [this](error_code ec, size_t) {
      Ended();
      if (ec == websocket::error::closed) {
        remote_closed_ = true;
        error_code ignored;
        local_.shutdown(asio::socket_base::shutdown_send, ignored);
        return Finish(std::nullopt, false);
      }
      if (finished_) return;
      if (ec) return Finish(LostConnection(ec), false);
      auto data = impl_.buffer.data();
      const char* bytes = static_cast<const char*>(data.data());
      if (data.size() == 0) return Next();
      auto channel = static_cast<unsigned char>(bytes[0]);
      if (channel == channel_) {
        Started();
        asio::async_write(local_, asio::buffer(bytes + 1, data.size() - 1),
                          [this](error_code e, size_t) {
                            Ended();
                            if (finished_) return;
                            if (e) return Finish(std::nullopt, true);
                            Next();
                          });
        return;
      }
      Result<void> handled = on_other_(channel, std::string_view(bytes + 1, data.size() - 1));
      if (!handled) return Finish(handled.error(), true);
      Next();
    });
  }

  void Next() {
    impl_.buffer.clear();
    ReadRemote();
  }

  // Ends both chains: cancels local operations and closes the WebSocket (a close handshake when
  // `close_handshake`, else the socket) unless the server already closed it.
  void Finish(std::optional<Error> error, bool close_handshake) {
    if (finished_) return;
    finished_ = true;
    error_ = std::move(error);
    error_code ignored;
    local_.cancel(ignored);
    if (remote_closed_) return;
    if (!close_handshake) return impl_.CloseSocket();
    Started();
    impl_.stream->async_close(websocket::close_code::normal, [this](error_code) { Ended(); });
  }

  WebSocketConnection::Impl& impl_;
  asio::generic::stream_protocol::socket local_;
  unsigned char channel_;
  const WebSocketConnection::ChannelHandler& on_other_;
  std::vector<char> up_;
  int pending_ = 0;
  bool idle_ = true;
  bool finished_ = false;
  bool remote_closed_ = false;
  std::optional<Error> error_;
};

}  // namespace

Result<void> WebSocketConnection::Pump(int fd, unsigned char channel,
                                       const ChannelHandler& on_other,
                                       const CancellationToken* cancel) {
  return SocketPump(*impl_, channel, on_other).Run(fd, cancel);
}

}  // namespace mm::kubeapi
