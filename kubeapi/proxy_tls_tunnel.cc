// One of the client's Asio translation units: the TLS session with an https:// proxy, during a
// dial.
#include "kubeapi/proxy_tls_tunnel.h"

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>

#include "kubeapi/dial_support.h"
#include "kubeapi/tls_engine.h"

namespace mm::kubeapi {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

namespace {

constexpr char kAlpnHttp1[] = "\x08http/1.1";
constexpr size_t kMaxConnectAnswer = 64 * 1024;
constexpr size_t kSocketRead = 16 * 1024;

// The TLS session with the proxy, driven synchronously over the stream's socket.
class ProxySession {
 public:
  ProxySession(asio::io_context& io, TlsStream& stream, const DialTarget& target,
               SteadyTime deadline)
      : io_(io),
        stream_(stream),
        target_(target),
        deadline_(deadline),
        engine_(std::make_unique<TlsEngine>(SSL_get_SSL_CTX(stream.native_handle()), true)) {}

  TlsEngine& engine() { return *engine_; }
  std::unique_ptr<TlsEngine> Release() { return std::move(engine_); }
  IoStop stop() const { return stop_; }

  // Writes what the engine has to send.
  error_code Flush() {
    if (!engine_->has_output()) return {};
    engine_->TakeOutput(sending_);
    return Await(io_, stream_, target_, deadline_, stop_, [&](auto handler) {
      asio::async_write(stream_.next_layer(), asio::buffer(sending_), handler);
    });
  }

  // Reads the socket into the engine; end of file when the proxy closed.
  error_code Fill() {
    std::span<char> space = engine_->InputSpace(kSocketRead);
    size_t got = 0;
    error_code ec = Await(io_, stream_, target_, deadline_, stop_, [&](auto handler) {
      stream_.next_layer().async_read_some(asio::buffer(space.data(), space.size()),
                                           [&got, handler](error_code e, size_t n) mutable {
                                             got = n;
                                             handler(e);
                                           });
    });
    if (!ec) engine_->CommitInput(got);
    return ec;
  }

  // Completes the handshake; a TLS failure comes back as `failed` (the engine's error() says
  // which), an I/O failure as the error code.
  error_code Handshake(bool& failed) {
    while (true) {
      TlsEngine::Outcome outcome = engine_->Handshake();
      if (error_code ec = Flush()) return ec;
      if (outcome.status == TlsEngine::Status::kOk) return {};
      if (outcome.status != TlsEngine::Status::kWantInput) {
        failed = true;
        return {};
      }
      if (error_code ec = Fill()) return ec;
    }
  }

  // Reads decrypted bytes until `answer` holds a whole HTTP head ("\r\n\r\n"); `answer` may hold
  // bytes past it. Returns the I/O failure, or end of file (the proxy closed or said too much).
  error_code ReadHead(std::string& answer) {
    char buffer[kSocketRead];
    while (answer.find("\r\n\r\n") == std::string::npos) {
      if (answer.size() > kMaxConnectAnswer) return asio::error::eof;
      TlsEngine::Outcome outcome = engine_->Read(buffer, sizeof buffer);
      if (outcome.status == TlsEngine::Status::kOk) {
        answer.append(buffer, outcome.bytes);
      } else if (outcome.status == TlsEngine::Status::kWantInput) {
        if (error_code ec = Fill()) return ec;
      } else {
        return asio::error::eof;
      }
    }
    return {};
  }

 private:
  asio::io_context& io_;
  TlsStream& stream_;
  const DialTarget& target_;
  SteadyTime deadline_;
  std::unique_ptr<TlsEngine> engine_;
  std::string sending_;
  IoStop stop_ = IoStop::kNone;
};

// The status code of an HTTP answer's head ("HTTP/1.1 200 Connection established"), 0 if none.
long StatusCode(const std::string& head) {
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12 || head[8] != ' ') return 0;
  long code = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (head[i] < '0' || head[i] > '9') return 0;
    code = code * 10 + (head[i] - '0');
  }
  return code;
}

std::string ConnectRequest(const DialTarget& target) {
  const std::string authority = HostPort(target.url);
  std::string request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (std::string credentials = ProxyAuthorization(target.proxy_url); !credentials.empty()) {
    request += "Proxy-Authorization: " + credentials + "\r\n";
  }
  return request + "\r\n";
}

}  // namespace

HttpResponse OpenTlsTunnel(asio::io_context& io, TlsStream& stream, const DialTarget& target,
                           const UrlParts& proxy, SteadyTime deadline) {
  ProxySession session(io, stream, target, deadline);
  NameTlsPeer(session.engine().native_handle(), proxy.host,
              std::string(kAlpnHttp1, sizeof kAlpnHttp1 - 1));
  bool tls_failed = false;
  error_code ec = session.Handshake(tls_failed);
  if (session.stop() != IoStop::kNone) return StopFailure(session.stop(), target.url);
  if (ec) return ProxyFailure(TransferError::kReceiveError, ec, target.url, proxy);
  if (tls_failed) {
    TransferFailure failure;
    long verify = SSL_get_verify_result(session.engine().native_handle());
    failure.error =
        verify != X509_V_OK ? TransferError::kPeerFailedVerification : TransferError::kTlsHandshake;
    failure.ssl_verify_result =
        verify == X509_V_ERR_IP_ADDRESS_MISMATCH ? X509_V_ERR_HOSTNAME_MISMATCH : verify;
    failure.detail =
        error_code(static_cast<int>(session.engine().error()), asio::error::get_ssl_category())
            .message();
    failure.authority = target.url.authority;
    failure.verified_name = proxy.host;
    failure.proxy = HostPort(proxy);
    return FailedResponse(failure);
  }
  const std::string request = ConnectRequest(target);
  std::string answer;
  if (session.engine().Write(request.data(), request.size()).status != TlsEngine::Status::kOk) {
    ec = asio::error::broken_pipe;
  }
  if (!ec) ec = session.Flush();
  if (!ec) ec = session.ReadHead(answer);
  if (session.stop() != IoStop::kNone) return StopFailure(session.stop(), target.url);
  if (ec) return ProxyFailure(TransferError::kReceiveError, ec, target.url, proxy);
  const long code = StatusCode(answer);
  if (code == 0) {
    return ProxyFailure(TransferError::kProtocol, {}, target.url, proxy);  // not an HTTP answer
  }
  if (code != 200) return ProxyFailure(TransferError::kReceiveError, {}, target.url, proxy, code);
  const size_t head_end = answer.find("\r\n\r\n") + 4;
  stream.TunnelThrough(session.Release(), std::string_view(answer).substr(head_end));
  return {};
}

}  // namespace mm::kubeapi
