#include "kubeapi/native_transport.h"

#include <cerrno>

#include "kubeapi/connection.h"
#include "kubeapi/h2_client_session.h"
#include "kubeapi/http1_exchange.h"
#include "kubeapi/http2_exchange.h"
#include "kubeapi/transfer_failure.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {

// A connection with its HTTP/2 state (null for HTTP/1.1), and what it connects to.
struct NativeTransport::Pooled {
  std::string key;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<H2ClientSession> h2;
};

namespace {

constexpr size_t kMaxIdle = 16;
// Fresh connections a request refused by GOAWAY may be sent on, after the first.
constexpr int kMaxRefusedRetries = 2;

HttpResponse Failure(NetworkFailure kind, std::string message) {
  HttpResponse response;
  response.failure = kind;
  response.failure_message = std::move(message);
  return response;
}

// Whether a request that failed on a reused connection may go again on a fresh one: the server
// closed the idle connection, so nothing came back, and the request may be sent twice (Go's rule:
// idempotent methods only; a close that arrived before reuse is caught by
// Connection::StillOpen).
bool StaleConnection(const HttpRequest& request, const TransferFailure& failure) {
  if (failure.received_response || !IsIdempotentMethod(request.method)) return false;
  switch (failure.error) {
    case TransferError::kGotNothing:
    case TransferError::kSendError:
      return true;
    case TransferError::kReceiveError:
      return failure.os_errno == ECONNRESET || failure.os_errno == EPIPE;
    default:
      return false;
  }
}

// The connection pool's key: the origin, the proxy and the client certificate in use.
std::string PoolKey(const UrlParts& url, const std::string& proxy, const ClientIdentity* identity) {
  return url.scheme + "://" + HostPort(url) + " " + proxy + " " +
         std::to_string(reinterpret_cast<uintptr_t>(identity));
}

}  // namespace

NativeTransport::NativeTransport(NetworkOptions options)
    : options_(std::move(options)), environment_(ProxyEnvironment::FromProcess()) {}

NativeTransport::~NativeTransport() = default;

std::unique_ptr<NativeTransport::Pooled> NativeTransport::Acquire(const std::string& key) {
  std::unique_ptr<Pooled> closed;  // destroyed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  for (size_t i = idle_.size(); i-- > 0;) {
    if (idle_[i]->key != key) continue;
    std::unique_ptr<Pooled> pooled = std::move(idle_[i]);
    idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(i));
    if (pooled->connection->StillOpen(pooled->h2 == nullptr)) return pooled;
    closed = std::move(pooled);  // the server closed it while it was idle
  }
  return nullptr;
}

void NativeTransport::Release(std::unique_ptr<Pooled> pooled) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() >= kMaxIdle) idle_.erase(idle_.begin());  // the longest idle goes
  idle_.push_back(std::move(pooled));
}

HttpResponse NativeTransport::RoundTrip(const HttpRequest& request) {
  UrlParts url;
  if (!SplitUrl(request.url, url)) {
    return Failure(NetworkFailure::kOther,
                   "Unable to connect to the server: invalid URL \"" + request.url + "\"");
  }
  if (url.scheme != "https" && url.scheme != "http") {
    return Failure(
        NetworkFailure::kOther,
        "Unable to connect to the server: unsupported protocol scheme \"" + url.scheme + "\"");
  }
  std::shared_ptr<const ClientIdentity> identity =
      request.identity ? request.identity : options_.identity;
  const std::string proxy = SelectProxy(url, options_.proxy_url, environment_);
  const std::string key = PoolKey(url, proxy, identity.get());
  const SteadyTime deadline =
      request.timeout.count() > 0
          ? std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(request.timeout)
          : SteadyTime::max();
  // An http:// server behind an HTTP proxy gets absolute-URL requests (SOCKS tunnels instead).
  const bool forward = url.scheme == "http" && proxy.rfind("http://", 0) == 0;
  const size_t authority_start = url.authority.rfind('@');
  RequestFraming framing{.authority = authority_start == std::string::npos
                                          ? url.authority
                                          : url.authority.substr(authority_start + 1),
                         .target = forward ? request.url : url.path,
                         .user_agent = options_.user_agent,
                         .offer_gzip = !options_.disable_compression,
                         .proxy_authorization = forward ? ProxyAuthorization(proxy) : ""};
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Pooled> pooled = attempt == 0 ? Acquire(key) : nullptr;
    if (pooled && pooled->h2 &&
        !RefreshIdleHttp2(*pooled->connection, *pooled->h2, request.cancel, deadline)) {
      pooled.reset();  // the server sent GOAWAY or closed it while it was idle
    }
    const bool reused = pooled != nullptr;
    if (!pooled) {
      HttpResponse failure;
      pooled = Open(key,
                    ConnectionTarget{
                        .url = url, .proxy_url = proxy, .tls = options_.tls, .identity = identity},
                    request.cancel, deadline, failure);
      if (!pooled) return failure;
    }
    HttpResponse response;
    ExchangeResult result =
        pooled->h2
            ? ExchangeHttp2(*pooled->connection, *pooled->h2, request, framing, deadline, response)
            : ExchangeHttp1(*pooled->connection, request, framing, deadline, response);
    const bool cancelled = request.cancel != nullptr && request.cancel->IsCancelled();
    // Refused by the server's GOAWAY (or REFUSED_STREAM): not processed, so safe to send again.
    if (result.refused && attempt < kMaxRefusedRetries && !cancelled) continue;
    if (result.failure.error != TransferError::kNone) {
      if (reused && attempt == 0 && StaleConnection(request, result.failure) && !cancelled) {
        continue;
      }
      return FailedResponse(result.failure);
    }
    response.new_connections = reused ? 0 : 1;
    if (result.reusable && pooled->connection->usable()) Release(std::move(pooled));
    return response;
  }
}

std::unique_ptr<NativeTransport::Pooled> NativeTransport::Open(const std::string& key,
                                                               const ConnectionTarget& target,
                                                               const CancellationToken* cancel,
                                                               SteadyTime deadline,
                                                               HttpResponse& failure) {
  std::unique_ptr<Connection> connection = Connection::Open(target, cancel, deadline, failure);
  if (!connection) return nullptr;
  auto pooled = std::make_unique<Pooled>(Pooled{key, std::move(connection), nullptr});
  if (pooled->connection->http2()) {
    Result<std::unique_ptr<H2ClientSession>> session = H2ClientSession::Create();
    if (!session) {
      failure = Failure(NetworkFailure::kOther,
                        "Unable to connect to the server: " + session.error().message());
      return nullptr;
    }
    pooled->h2 = std::move(*session);
  }
  return pooled;
}

}  // namespace mm::kubeapi
