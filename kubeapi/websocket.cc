// One of the client's two Boost.Beast translation units (compile cost; websocket_impl.h): dialling
// a WebSocket over OpenSSL and reading or writing single messages of an open connection.
#include "kubeapi/websocket.h"

#include <boost/beast/http.hpp>
#include <cctype>
#include <vector>

#include "kubeapi/dialer.h"
#include "kubeapi/proxy_selection.h"
#include "kubeapi/transfer_failure.h"
#include "kubeapi/url.h"
#include "kubeapi/websocket_impl.h"

namespace mm::kubeapi {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using error_code = beast::error_code;
using websocket_detail::LostConnection;
using websocket_detail::Stop;

namespace {

constexpr std::chrono::seconds kDialTimeout{30};
constexpr std::chrono::seconds kCloseTimeout{5};
constexpr std::chrono::seconds kIdleTimeout{60};  // a ping after 30 s idle; closed after 60 s

HttpResponse StopFailure(Stop stop, const UrlParts& url) {
  TransferFailure failure;
  failure.error = stop == Stop::kCancelled ? TransferError::kAborted : TransferError::kTimedOut;
  failure.authority = url.authority;
  return FailedResponse(failure);
}

HttpResponse Failure(const std::string& why) {
  HttpResponse response;
  response.failure = NetworkFailure::kOther;
  response.failure_message = "Unable to connect to the server: " + why;
  return response;
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

// The WebSocket upgrade with the request's headers, on a connection Dial opened.
HttpResponse Upgrade(WebSocketConnection::Impl& impl, const UrlParts& url,
                     const HttpRequest& request, const std::string& user_agent,
                     SteadyTime deadline) {
  Stop stop = Stop::kNone;
  impl.stream->set_option(websocket::stream_base::timeout{kDialTimeout, kIdleTimeout, true});
  // The decorator reads the request's headers (credentials included) only during this call.
  impl.stream->set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
    req.set(http::field::user_agent, user_agent);
    for (const auto& [name, value] : request.headers) req.insert(name, value);
    req.set(http::field::sec_websocket_protocol, JoinProtocols(request.websocket_protocols));
  }));
  websocket::response_type answer;
  error_code ec = impl.Await(
      [&](auto handler) { impl.stream->async_handshake(answer, url.authority, url.path, handler); },
      request.cancel, deadline, stop);
  impl.stream->set_option(websocket::stream_base::decorator([](websocket::request_type&) {}));
  if (stop != Stop::kNone) return StopFailure(stop, url);
  HttpResponse response;
  if (ec && ec != websocket::error::upgrade_declined) {
    TransferFailure failure;
    failure.error =
        answer.result_int() == 0 ? TransferError::kGotNothing : TransferError::kReceiveError;
    failure.authority = url.authority;
    failure.detail = ec.message();
    if (ec.category() == boost::system::system_category()) failure.os_errno = ec.value();
    return FailedResponse(failure);
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

HttpResponse DialWebSocket(const NetworkOptions& options, const HttpRequest& request) {
  UrlParts url;
  if (!SplitUrl(request.url, url) || url.scheme != "https") {
    return Failure("streaming needs an https:// server URL");
  }
  auto impl = std::make_unique<WebSocketConnection::Impl>();
  const ClientIdentity* identity =
      request.identity ? request.identity.get() : options.identity.get();
  std::string tls_error = ConfigureTlsContext(impl->tls, options.tls, identity);
  if (!tls_error.empty()) return Failure(tls_error);
  impl->stream.emplace(impl->io, impl->tls.native_handle());
  SteadyTime deadline =
      std::chrono::steady_clock::now() +
      (request.timeout.count() > 0
           ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(request.timeout)
           : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kDialTimeout));
  DialTarget target{
      .url = url,
      .proxy_url = SelectProxy(url, options.proxy_url, ProxyEnvironment::FromProcess()),
      .tls = options.tls,
      .cancel = request.cancel,
      .deadline = deadline};
  HttpResponse connected = Dial(impl->io, impl->stream->next_layer(), target);
  if (connected.failure != NetworkFailure::kNone) return connected;
  HttpResponse response = Upgrade(*impl, url, request, options.user_agent, deadline);
  if (response.status == 101) {
    response.websocket = std::make_shared<WebSocketConnection>(std::move(impl));
  }
  return response;
}

}  // namespace

HttpResponse WebSocketTransport::RoundTrip(const HttpRequest& request) {
  if (request.websocket_protocols.empty()) return http_->RoundTrip(request);
  return DialWebSocket(options_, request);
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
