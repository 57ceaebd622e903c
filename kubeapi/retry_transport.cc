#include "kubeapi/retry_transport.h"

#include <algorithm>
#include <charconv>
#include <random>

#include "kubeapi/cancellation.h"

namespace mm::kubeapi {
namespace {

std::optional<int> RetryAfterSeconds(const HttpResponse& response) {
  std::string value = response.Header("retry-after");
  int seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || seconds < 0) {
    return std::nullopt;  // an HTTP-date is not used by the API server
  }
  return seconds;
}

double RandomUnit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

RetryTransport::RetryTransport(Transport& next, Clock& clock, RetryPolicy policy,
                               std::function<double()> jitter)
    : next_(next),
      clock_(clock),
      policy_(policy),
      jitter_(jitter ? std::move(jitter) : std::function<double()>(RandomUnit)) {}

std::optional<std::chrono::milliseconds> RetryTransport::RetryDelay(const HttpRequest& request,
                                                                    const HttpResponse& response,
                                                                    int attempt) {
  if (attempt >= policy_.max_retries) return std::nullopt;
  if (response.failure == NetworkFailure::kNone) {
    if (response.status != 429 && response.status < 500) return std::nullopt;
    std::optional<int> seconds = RetryAfterSeconds(response);
    if (!seconds) return std::nullopt;
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(*seconds),
                                               policy_.max_retry_after);
  }
  bool retryable =
      (response.failure == NetworkFailure::kConnect && IsIdempotentMethod(request.method)) ||
      (response.failure == NetworkFailure::kConnectionLost && !request.on_body &&
       (request.method == "GET" || request.method == "HEAD"));
  if (!retryable || attempt >= policy_.max_connection_retries) return std::nullopt;
  // Exponential backoff with "full jitter": uniform in [0, min(max, base * 2^attempt)).
  auto ceiling = std::min<std::chrono::milliseconds>(
      policy_.max_backoff, policy_.base_backoff * (1LL << std::min(attempt, 20)));
  return std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(ceiling.count()) * jitter_()));
}

HttpResponse RetryTransport::RoundTrip(const HttpRequest& request) {
  const Clock::TimePoint deadline = clock_.Now() + policy_.total_deadline;
  for (int attempt = 0;; ++attempt) {
    HttpResponse response = next_.RoundTrip(request);
    std::optional<std::chrono::milliseconds> delay = RetryDelay(request, response, attempt);
    if (!delay || clock_.Now() + *delay > deadline) return response;
    if (!clock_.SleepFor(*delay, request.cancel)) {
      HttpResponse cancelled;
      cancelled.failure = NetworkFailure::kCancelled;
      cancelled.failure_message = "Unable to connect to the server: context canceled";
      return cancelled;
    }
  }
}

}  // namespace mm::kubeapi
