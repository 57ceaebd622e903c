#include "kubeapi/retry_transport.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::Fail;
using testing::FakeClock;
using testing::RecordingTransport;
using testing::Respond;

HttpHeaders RetryAfter(const std::string& seconds) { return {{"retry-after", seconds}}; }

TEST(RetryTransportTest, RetriesAndDelays) {
  struct Case {
    std::string name;
    std::string method;
    std::vector<HttpResponse> responses;
    int final_status;             // status returned to the caller (0: a failure)
    size_t attempts;              // requests sent
    std::vector<int64_t> sleeps;  // milliseconds slept between them
  };
  const std::vector<Case> cases = {
      {"429 with Retry-After, any verb",
       "POST",
       {Respond(429, "", RetryAfter("1")), Respond(429, "", RetryAfter("1")), Respond(201)},
       201,
       3,
       {1000, 1000}},
      {"503 with Retry-After",
       "GET",
       {Respond(503, "", RetryAfter("2")), Respond(200)},
       200,
       2,
       {2000}},
      {"503 without Retry-After is not retried", "GET", {Respond(503), Respond(200)}, 503, 1, {}},
      {"404 is not retried even with Retry-After",
       "GET",
       {Respond(404, "", RetryAfter("1"))},
       404,
       1,
       {}},
      {"Retry-After is capped",
       "GET",
       {Respond(429, "", RetryAfter("3600")), Respond(200)},
       200,
       2,
       {30000}},
      {"malformed Retry-After is not honoured",
       "GET",
       {Respond(429, "", RetryAfter("soon"))},
       429,
       1,
       {}},
      {"connect failure on GET: backoff doubles (jitter 0.5)",
       "GET",
       {Fail(NetworkFailure::kConnect), Fail(NetworkFailure::kConnect),
        Fail(NetworkFailure::kConnect), Respond(200)},
       200,
       4,
       {125, 250, 500}},
      {"connect failure on PUT is retried (idempotent)",
       "PUT",
       {Fail(NetworkFailure::kConnect), Respond(200)},
       200,
       2,
       {125}},
      {"connect failure on POST is not retried",
       "POST",
       {Fail(NetworkFailure::kConnect)},
       0,
       1,
       {}},
      {"lost connection on PUT is not retried",
       "PUT",
       {Fail(NetworkFailure::kConnectionLost)},
       0,
       1,
       {}},
      {"lost connection on GET is retried",
       "GET",
       {Fail(NetworkFailure::kConnectionLost), Respond(200)},
       200,
       2,
       {125}},
      {"TLS errors are not retried", "GET", {Fail(NetworkFailure::kOther)}, 0, 1, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RecordingTransport fake;
    fake.responses.assign(c.responses.begin(), c.responses.end());
    FakeClock clock;
    RetryTransport retry(fake, clock, RetryPolicy{}, [] { return 0.5; });
    HttpResponse response = retry.RoundTrip({.method = c.method, .url = "https://k/x"});
    EXPECT_EQ(response.status, c.final_status);
    EXPECT_EQ(fake.requests.size(), c.attempts);
    EXPECT_EQ(clock.sleeps, c.sleeps);
  }
}

TEST(RetryTransportTest, StreamsAreNotResentAfterALostConnection) {
  RecordingTransport fake;
  fake.responses = {Fail(NetworkFailure::kConnectionLost), Respond(200)};
  FakeClock clock;
  RetryTransport retry(fake, clock, RetryPolicy{}, [] { return 0.5; });
  HttpResponse response = retry.RoundTrip({.method = "GET",
                                           .url = "https://k/x?watch=true",
                                           .on_body = [](std::string_view) { return true; }});
  EXPECT_EQ(response.failure, NetworkFailure::kConnectionLost);
  EXPECT_EQ(fake.requests.size(), 1u);
}

TEST(RetryTransportTest, ConnectionFailuresGetFewRetriesSoADownServerFailsFast) {
  RecordingTransport fake;
  fake.handler = [](const HttpRequest&) { return Fail(NetworkFailure::kConnect); };
  FakeClock clock;
  RetryPolicy policy;
  policy.total_deadline = std::chrono::hours(1);
  RetryTransport retry(fake, clock, policy, [] { return 0.999999; });
  HttpResponse response = retry.RoundTrip({.method = "GET", .url = "https://k/x"});
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(fake.requests.size(), 4u);  // 1 + max_connection_retries: under 2 s in all
  EXPECT_EQ(clock.sleeps, (std::vector<int64_t>{249, 499, 999}));
}

TEST(RetryTransportTest, BackoffIsCappedAndRetriesAreBounded) {
  RecordingTransport fake;
  fake.handler = [](const HttpRequest&) { return Fail(NetworkFailure::kConnect); };
  FakeClock clock;
  RetryPolicy policy;
  policy.total_deadline = std::chrono::hours(1);
  policy.max_connection_retries = 20;  // max_retries (10) bounds it first
  RetryTransport retry(fake, clock, policy, [] { return 0.999999; });
  HttpResponse response = retry.RoundTrip({.method = "GET", .url = "https://k/x"});
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(fake.requests.size(), 11u);  // 1 + max_retries
  const std::vector<int64_t> expected = {249, 499, 999, 1999, 3999, 7999, 7999, 7999, 7999, 7999};
  EXPECT_EQ(clock.sleeps, expected);
}

TEST(RetryTransportTest, StopsAtTheTotalDeadline) {
  RecordingTransport fake;
  fake.handler = [](const HttpRequest&) { return Respond(429, "", RetryAfter("1")); };
  FakeClock clock;
  RetryPolicy policy;
  policy.total_deadline = std::chrono::milliseconds(2500);
  RetryTransport retry(fake, clock, policy);
  HttpResponse response = retry.RoundTrip({.method = "GET", .url = "https://k/x"});
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(fake.requests.size(), 3u);  // at 0 s, 1 s, 2 s; a third wait would end at 3 s
  EXPECT_EQ(clock.sleeps, (std::vector<int64_t>{1000, 1000}));
}

TEST(RetryTransportTest, CancellationStopsTheWait) {
  RecordingTransport fake;
  fake.handler = [](const HttpRequest&) { return Respond(429, "", RetryAfter("5")); };
  FakeClock clock;
  CancellationToken cancel;
  cancel.Cancel();
  RetryTransport retry(fake, clock, RetryPolicy{});
  HttpResponse response =
      retry.RoundTrip({.method = "GET", .url = "https://k/x", .cancel = &cancel});
  EXPECT_EQ(response.failure, NetworkFailure::kCancelled);
  EXPECT_EQ(fake.requests.size(), 1u);
}

}  // namespace
}  // namespace mm::kubeapi
