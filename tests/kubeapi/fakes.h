#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/json.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/clock.h"
#include "kubeapi/http.h"

namespace mm::kubeapi::testing {

// A Clock whose time moves only when someone sleeps (or calls Advance). Records every sleep.
class FakeClock : public Clock {
 public:
  TimePoint Now() override { return now_; }
  bool SleepFor(std::chrono::milliseconds duration, const CancellationToken* cancel) override {
    sleeps.push_back(duration.count());
    if (cancel != nullptr && cancel->IsCancelled()) return false;
    now_ += duration;
    return true;
  }
  void Advance(std::chrono::milliseconds duration) { now_ += duration; }

  std::vector<int64_t> sleeps;  // milliseconds

 private:
  TimePoint now_ = std::chrono::system_clock::from_time_t(1700000000);
};

// Returns `text` parsed as JSON, failing the test (and returning null) when it is not JSON.
inline rapidjson::Document Json(const std::string& text) {
  auto document = ParseJson(text);
  EXPECT_TRUE(document.ok()) << text;
  return document.ok() ? std::move(*document) : rapidjson::Document();
}

// Returns a response with `status`, `body` and `headers`.
inline HttpResponse Respond(int status, std::string body = "", HttpHeaders headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

// Returns a response that never arrived.
inline HttpResponse Fail(NetworkFailure failure, std::string message = "failed") {
  HttpResponse response;
  response.failure = failure;
  response.failure_message = std::move(message);
  return response;
}

// A Transport that records every request and answers from a queue (or a handler). When the queue
// is empty it answers 599 so a test that sends too much fails visibly.
class RecordingTransport : public Transport {
 public:
  HttpResponse RoundTrip(const HttpRequest& request) override {
    requests.push_back(request);
    if (on_request) on_request(request);
    if (handler) return handler(request);
    if (responses.empty()) return Respond(599, "unexpected request");
    HttpResponse response = std::move(responses.front());
    responses.pop_front();
    if (response.status >= 200 && response.status < 300 && request.on_body) {
      request.on_body(response.body);
      response.body.clear();
    }
    return response;
  }

  std::vector<HttpRequest> requests;
  std::deque<HttpResponse> responses;
  std::function<HttpResponse(const HttpRequest&)> handler;
  std::function<void(const HttpRequest&)> on_request;  // e.g. advance a clock
};

}  // namespace mm::kubeapi::testing
