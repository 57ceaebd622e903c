// One of the client's Asio translation units: a REST connection's reads and writes.
#include "kubeapi/connection.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <optional>

#include "kubeapi/dialer.h"
#include "kubeapi/io_wait.h"

namespace mm::kubeapi {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

struct Connection::Impl {
  asio::io_context io{1};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::optional<TlsStream> stream;  // built once `tls` is configured; plain http uses its socket
  bool secure = false;
  bool http2 = false;
  bool usable = true;

  // Runs one operation until it completes; a stop closes the socket. Returns the outcome.
  template <typename Start>
  IoResult Run(Start start, const CancellationToken* cancel, SteadyTime deadline) {
    IoStop stop = IoStop::kNone;
    error_code ec = AwaitIo(io, start, cancel, deadline, stop, [this] {
      error_code ignored;
      stream->next_layer().close(ignored);
    });
    IoResult result;
    if (stop != IoStop::kNone) {
      result.status = stop == IoStop::kCancelled ? IoResult::kCancelled : IoResult::kDeadline;
    } else if (ec == asio::error::eof) {
      result.status = IoResult::kEof;
    } else if (ec) {
      result.status = IoResult::kError;
      result.detail = ec.message();
      if (ec.category() == boost::system::system_category()) result.os_errno = ec.value();
    }
    if (result.status != IoResult::kOk) usable = false;
    return result;
  }
};

namespace {

constexpr char kAlpnHttp2[] = "\x02h2\x08http/1.1";
// Ciphertext read at once: REST answers are small or read in 64 KiB pieces anyway (streams keep
// TlsStream's 256 KiB, which port-forward throughput needs).
constexpr size_t kRestTlsReadSize = 64 * 1024;

}  // namespace

std::unique_ptr<Connection> Connection::Open(const ConnectionTarget& target,
                                             const CancellationToken* cancel, SteadyTime deadline,
                                             HttpResponse& failure) {
  auto impl = std::make_unique<Impl>();
  impl->secure = target.url.scheme == "https";
  if (impl->secure) {
    std::string error = ConfigureTlsContext(impl->tls, target.tls, target.identity.get());
    if (!error.empty()) {
      failure = HttpResponse{};
      failure.failure = NetworkFailure::kOther;
      failure.failure_message = "Unable to connect to the server: " + error;
      return nullptr;
    }
  }
  impl->stream.emplace(impl->io, impl->tls.native_handle(), kRestTlsReadSize);
  DialTarget dial{.url = target.url,
                  .proxy_url = target.proxy_url,
                  .tls = target.tls,
                  .alpn = target.offer_http2 ? std::string(kAlpnHttp2, sizeof kAlpnHttp2 - 1) : "",
                  .cancel = cancel,
                  .deadline = deadline};
  failure = Dial(impl->io, *impl->stream, dial);
  if (failure.failure != NetworkFailure::kNone) return nullptr;
  if (impl->secure) {
    const unsigned char* protocol = nullptr;
    unsigned length = 0;
    SSL_get0_alpn_selected(impl->stream->native_handle(), &protocol, &length);
    impl->http2 = length == 2 && protocol[0] == 'h' && protocol[1] == '2';
  }
  return std::make_unique<Connection>(std::move(impl));
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Connection::~Connection() {
  error_code ignored;
  impl_->stream->next_layer().close(ignored);
}

bool Connection::http2() const { return impl_->http2; }
bool Connection::usable() const { return impl_->usable; }

bool Connection::StillOpen(bool expect_silence) const {
  if (!impl_->usable) return false;
  char byte = 0;
  ssize_t n =
      ::recv(impl_->stream->next_layer().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return !expect_silence;
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool Connection::InputPending() const {
  char byte = 0;
  return impl_->usable &&
         ::recv(impl_->stream->next_layer().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

IoResult Connection::Write(std::string_view bytes, const CancellationToken* cancel,
                           SteadyTime deadline) {
  auto buffer = asio::buffer(bytes.data(), bytes.size());
  IoResult result = impl_->Run(
      [&](auto handler) {
        if (impl_->secure) {
          asio::async_write(*impl_->stream, buffer, handler);
        } else {
          asio::async_write(impl_->stream->next_layer(), buffer, handler);
        }
      },
      cancel, deadline);
  if (result.status == IoResult::kOk) result.bytes = bytes.size();
  return result;
}

IoResult Connection::ReadSome(char* data, size_t size, const CancellationToken* cancel,
                              SteadyTime deadline) {
  size_t got = 0;
  auto buffer = asio::buffer(data, size);
  IoResult result = impl_->Run(
      [&](auto handler) {
        auto done = [&got, handler](error_code ec, size_t n) mutable {
          got = n;
          handler(ec);
        };
        if (impl_->secure) {
          impl_->stream->async_read_some(buffer, std::move(done));
        } else {
          impl_->stream->next_layer().async_read_some(buffer, std::move(done));
        }
      },
      cancel, deadline);
  result.bytes = got;
  return result;
}

}  // namespace mm::kubeapi
