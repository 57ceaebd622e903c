#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "kubeapi/clock.h"
#include "kubeapi/http.h"

namespace mm::kubeapi {

// When to re-send a request (client-go's rules, plus connection failures with backoff).
struct RetryPolicy {
  int max_retries = 10;                              // client-go's limit for Retry-After
  std::chrono::milliseconds max_retry_after{30000};  // longer Retry-After values are capped
  // Connection failures get few retries: a server that refuses connections is usually down, and
  // kubectl reports that at once; 3 retries ride out a restart blip yet fail within ~2 s.
  int max_connection_retries = 3;
  std::chrono::milliseconds base_backoff{250};  // first connection-failure delay
  std::chrono::milliseconds max_backoff{8000};
  std::chrono::milliseconds total_deadline{120000};  // no retry may start after this
};

// Re-sends requests that failed in a way that is safe and likely to pass later:
// - 429 and 5xx responses carrying Retry-After (seconds), after that delay (capped), any verb,
//   as client-go does; without Retry-After the response is returned as is;
// - connection failures before anything was sent (kConnect) for idempotent verbs, and lost
//   connections (kConnectionLost) for GET/HEAD only, with exponential backoff and full jitter —
//   except streamed requests (on_body set), whose consumer may already have seen part of the
//   body: re-sending would deliver it twice (a watch resumes from its own resourceVersion).
// Never retries a POST or PATCH whose request may have reached the server. Stops at
// max_retries (max_connection_retries for connection failures), at total_deadline, or when the
// request's CancellationToken fires.
class RetryTransport : public Transport {
 public:
  // `jitter` returns a number in [0, 1); tests pass a fixed one. `next` and `clock` must outlive
  // this object.
  RetryTransport(Transport& next, Clock& clock, RetryPolicy policy,
                 std::function<double()> jitter = nullptr);
  HttpResponse RoundTrip(const HttpRequest& request) override;

  // Returns how long to wait before retry number `attempt` (0-based) of `request` after
  // `response`, or nullopt when it must not be retried.
  std::optional<std::chrono::milliseconds> RetryDelay(const HttpRequest& request,
                                                      const HttpResponse& response, int attempt);

 private:
  Transport& next_;
  Clock& clock_;
  RetryPolicy policy_;
  std::function<double()> jitter_;
};

}  // namespace mm::kubeapi
