#include "kubeapi/watch.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "kubeapi/informer.h"
#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::Fail;
using testing::FakeClock;
using testing::RecordingTransport;
using testing::Respond;

const ResourceMapping kPods{"", "v1", "pods", "Pod", true};

std::string Event(const std::string& type, const std::string& name, const std::string& version,
                  const std::string& extra = "") {
  return R"({"type":")" + type + R"(","object":{"kind":"Pod","metadata":{"name":")" + name +
         R"(","namespace":"a","resourceVersion":")" + version + "\"}" + extra + "}}\n";
}

std::string Gone() {
  return R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},)json"
         R"json("status":"Failure","message":"too old resource version: 10 (50)",)json"
         R"json("reason":"Expired","code":410}})json"
         "\n";
}

TEST(WatchEventDecoderTest, EventsSurviveAnySplit) {
  const std::string stream = Event("ADDED", "a", "1", R"(,"note":"braces } { and \"quotes\"")") +
                             Event("BOOKMARK", "", "2") + Event("DELETED", "b", "3");
  for (size_t split = 0; split <= stream.size(); ++split) {
    WatchEventDecoder decoder;
    std::vector<std::string> seen;
    auto emit = [&](WatchEvent&& event) {
      seen.push_back(std::to_string(static_cast<int>(event.type)) + ":" +
                     ResourceVersionOf(event.object));
      return true;
    };
    ASSERT_TRUE(decoder.Feed(std::string_view(stream).substr(0, split), emit));
    ASSERT_TRUE(decoder.Feed(std::string_view(stream).substr(split), emit));
    EXPECT_EQ(seen, (std::vector<std::string>{"0:1", "3:2", "2:3"})) << "split at " << split;
  }
}

TEST(WatchEventDecoderTest, MalformedStreams) {
  struct Case {
    std::string stream;
    std::string error;
  };
  const Case cases[] = {
      {"garbage", "unexpected byte 'g' between watch events"},
      {R"({"type":"SOMETHING","object":{}})", "watch event without a known type"},
      {R"({"type":"ADDED","object":{]})",
       "watch event: invalid JSON at offset 26: Missing a name for object member."},
  };
  for (const Case& c : cases) {
    WatchEventDecoder decoder;
    EXPECT_FALSE(decoder.Feed(c.stream, [](WatchEvent&&) { return true; }));
    EXPECT_EQ(decoder.error(), c.error);
  }
}

class WatchTest : public ::testing::Test {
 protected:
  Clock::TimePoint Deadline(std::chrono::seconds after = std::chrono::seconds(600)) {
    return clock_.Now() + after;
  }
  // Answers with a 200 stream carrying `body`, then ends it as `end` says.
  static std::function<HttpResponse(const HttpRequest&)> Stream(std::string body,
                                                                HttpResponse end = Respond(200)) {
    return [body, end](const HttpRequest& request) {
      if (request.on_body) request.on_body(body);
      return end;
    };
  }
  std::vector<std::string> Urls() const {
    std::vector<std::string> urls;
    for (const HttpRequest& request : fake_.requests) urls.push_back(request.url);
    return urls;
  }

  RecordingTransport fake_;
  FakeClock clock_;
  RestClient client_{fake_, "https://k", std::chrono::milliseconds(0)};
};

TEST_F(WatchTest, ResumesFromTheLastVersionAfterADropAndAfterTheServerEndsTheWatch) {
  std::vector<std::function<HttpResponse(const HttpRequest&)>> answers = {
      Stream(Event("ADDED", "a", "11") + Event("BOOKMARK", "", "15"),
             Fail(NetworkFailure::kConnectionLost)),
      Stream(Event("MODIFIED", "a", "16")),  // then the server ends the stream (timeoutSeconds)
      Stream(Event("DELETED", "a", "17")),
  };
  size_t next = 0;
  fake_.handler = [&](const HttpRequest& request) { return answers.at(next++)(request); };
  std::vector<std::string> seen;
  Result<void> result = WatchResource(
      client_, kPods, "a", {.field_selector = "metadata.name=a", .resource_version = "10"},
      [&](const WatchEvent& event) {
        seen.push_back(ResourceVersionOf(event.object));
        return event.type == WatchEventType::kDeleted ? WatchDecision::kStop
                                                      : WatchDecision::kContinue;
      },
      clock_, Deadline(), nullptr);
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(seen, (std::vector<std::string>{"11", "16", "17"}));
  const std::string base =
      "https://k/api/v1/namespaces/a/pods?allowWatchBookmarks=true&fieldSelector=metadata.name%3Da";
  EXPECT_EQ(Urls(),
            (std::vector<std::string>{base + "&resourceVersion=10&timeoutSeconds=300&watch=true",
                                      base + "&resourceVersion=15&timeoutSeconds=300&watch=true",
                                      base + "&resourceVersion=16&timeoutSeconds=300&watch=true"}));
  EXPECT_EQ(clock_.sleeps, (std::vector<int64_t>{500}));  // one pause, after the drop only
}

TEST_F(WatchTest, GoneIsReturnedToTheCaller) {
  fake_.handler = Stream(Gone());
  Result<void> result = WatchResource(
      client_, kPods, "a", {.resource_version = "10"},
      [](const WatchEvent&) { return WatchDecision::kContinue; }, clock_, Deadline(), nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(IsGone(result.error()));
  EXPECT_EQ(result.error().message(), "too old resource version: 10 (50)");
}

TEST_F(WatchTest, DeadlineBoundsTheServerTimeoutAndEndsTheWatch) {
  fake_.handler = [&](const HttpRequest& request) {
    clock_.Advance(std::chrono::milliseconds(request.timeout));
    return Fail(NetworkFailure::kTimeout);
  };
  Result<void> result = WatchResource(
      client_, kPods, "a", {}, [](const WatchEvent&) { return WatchDecision::kContinue; }, clock_,
      Deadline(std::chrono::seconds(42)), nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::kTimeout);
  ASSERT_EQ(fake_.requests.size(), 1u);
  EXPECT_EQ(
      fake_.requests[0].url,
      "https://k/api/v1/namespaces/a/pods?allowWatchBookmarks=true&timeoutSeconds=42&watch=true");
  EXPECT_EQ(fake_.requests[0].timeout.count(), 42000);
}

std::string PodList(const std::string& version, const std::vector<std::string>& items) {
  std::string text = R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":")" +
                     version + R"("},"items":[)";
  for (size_t i = 0; i < items.size(); ++i) text += (i > 0 ? "," : "") + items[i];
  return text + "]}";
}

std::string Pod(const std::string& name, const std::string& version, bool ready = false) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":"a","resourceVersion":")" + version +
         R"("},"status":{"ready":)" + (ready ? "true" : "false") + "}}";
}

TEST_F(WatchTest, InformerRelistsAfterGoneAndReportsTheDifference) {
  std::vector<std::function<HttpResponse(const HttpRequest&)>> answers = {
      [](const HttpRequest&) {
        return Respond(200, PodList("10", {Pod("a", "5"), Pod("b", "6")}));
      },
      Stream(Gone()),
      [](const HttpRequest&) {
        return Respond(200, PodList("50", {Pod("b", "20"), Pod("c", "30")}));
      },
  };
  size_t next = 0;
  fake_.handler = [&](const HttpRequest& request) { return answers.at(next++)(request); };
  Informer informer(client_, kPods, "a", {.label_selector = "app=web"});
  std::vector<std::string> seen;
  int syncs = 0;
  Result<void> result = informer.Run(
      [&](const WatchEvent* event, const ObjectStore&) {
        if (event == nullptr) {
          seen.push_back("sync");
          return ++syncs == 2 ? WatchDecision::kStop : WatchDecision::kContinue;
        }
        seen.push_back(std::to_string(static_cast<int>(event->type)) + ":" +
                       StoreKey(event->object));
        return WatchDecision::kContinue;
      },
      clock_, Deadline(), nullptr);
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(seen, (std::vector<std::string>{"sync", "2:a/a", "1:a/b", "0:a/c", "sync"}));
  std::vector<std::string> keys;
  for (const auto& [key, object] : informer.Store()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a/b", "a/c"}));
  EXPECT_EQ(Urls(), (std::vector<std::string>{
                        "https://k/api/v1/namespaces/a/pods?labelSelector=app%3Dweb&limit=500",
                        "https://k/api/v1/namespaces/a/pods?allowWatchBookmarks=true&labelSelector="
                        "app%3Dweb&resourceVersion=10&timeoutSeconds=300&watch=true",
                        "https://k/api/v1/namespaces/a/pods?labelSelector=app%3Dweb&limit=500"}));
}

TEST_F(WatchTest, WaitForUsesTheWatchNotPolling) {
  std::vector<std::function<HttpResponse(const HttpRequest&)>> answers = {
      [](const HttpRequest&) { return Respond(200, PodList("10", {Pod("web", "5")})); },
      Stream(Event("MODIFIED", "web", "11", R"(,"status":{"ready":false})") +
             Event("MODIFIED", "web", "12", R"(,"status":{"ready":true})")),
  };
  size_t next = 0;
  fake_.handler = [&](const HttpRequest& request) { return answers.at(next++)(request); };
  auto ready = [](const rapidjson::Value* pod) {
    if (pod == nullptr) return false;
    const rapidjson::Value* status = FindMember(*pod, "status");
    const rapidjson::Value* flag = status == nullptr ? nullptr : FindMember(*status, "ready");
    return flag != nullptr && flag->IsBool() && flag->GetBool();
  };
  Result<rapidjson::Document> pod =
      WaitFor(client_, kPods, "a", "web", ready, clock_, Deadline(), nullptr);
  ASSERT_TRUE(pod.ok()) << pod.error().message();
  EXPECT_EQ(ResourceVersionOf(*pod), "12");
  ASSERT_EQ(fake_.requests.size(), 2u);
  EXPECT_EQ(fake_.requests[0].url,
            "https://k/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dweb");
  EXPECT_TRUE(clock_.sleeps.empty());
}

TEST_F(WatchTest, WaitForTimesOutWithKubectlsMessage) {
  fake_.handler = [&](const HttpRequest& request) {
    if (request.url.find("watch=true") == std::string::npos) return Respond(200, PodList("1", {}));
    clock_.Advance(request.timeout);
    return Fail(NetworkFailure::kTimeout);
  };
  Result<rapidjson::Document> pod = WaitFor(
      client_, kPods, "a", "web", [](const rapidjson::Value* pod) { return pod != nullptr; },
      clock_, Deadline(std::chrono::seconds(5)), nullptr);
  ASSERT_FALSE(pod.ok());
  EXPECT_EQ(pod.error().kind(), ErrorKind::kTimeout);
  EXPECT_EQ(pod.error().message(), "timed out waiting for the condition on pods/web");
}

}  // namespace
}  // namespace mm::kubeapi
