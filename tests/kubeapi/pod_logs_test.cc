#include "kubeapi/pod_logs.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::RecordingTransport;
using testing::Respond;

TEST(PodLogsTest, QueryParameters) {
  struct Case {
    PodLogOptions options;
    QueryParams query;
  };
  const Case cases[] = {
      {{}, {}},
      {{.container = "c", .follow = true, .tail_lines = 10, .timestamps = true},
       {{"container", "c"}, {"follow", "true"}, {"tailLines", "10"}, {"timestamps", "true"}}},
      {{.container = "c", .previous = true, .since_seconds = 300},
       {{"container", "c"}, {"previous", "true"}, {"sinceSeconds", "300"}}},
      {{.since_time = "2024-01-01T00:00:00Z"}, {{"sinceTime", "2024-01-01T00:00:00Z"}}},
  };
  for (const Case& c : cases) EXPECT_EQ(PodLogQuery(c.options), c.query);
}

TEST(PodLogsTest, LinesSurviveAnyChunking) {
  const std::string stream = "first\r\nsecond line\n\nlast without newline";
  for (size_t split = 0; split <= stream.size(); ++split) {
    LineSplitter splitter;
    std::vector<std::string> lines;
    auto collect = [&](std::string_view line) {
      lines.emplace_back(line);
      return true;
    };
    splitter.Feed(std::string_view(stream).substr(0, split), collect);
    splitter.Feed(std::string_view(stream).substr(split), collect);
    splitter.Finish(collect);
    EXPECT_EQ(lines, (std::vector<std::string>{"first", "second line", "", "last without newline"}))
        << "split at " << split;
  }
}

TEST(PodLogsTest, StreamsLinesAndStopsOnRequest) {
  RecordingTransport fake;
  fake.responses = {Respond(200, "a\nb\nc\n")};
  RestClient client(fake, "https://k", std::chrono::seconds(30));
  std::vector<std::string> lines;
  Result<void> result = StreamPodLogs(
      client, "ns", "web", {.container = "c", .follow = true},
      [&](std::string_view line) {
        lines.emplace_back(line);
        return line != "b";
      },
      nullptr);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(fake.requests.size(), 1u);
  // A followed stream has no request timeout.
  EXPECT_EQ(fake.requests[0].url,
            "https://k/api/v1/namespaces/ns/pods/web/log?container=c&follow=true");
  EXPECT_EQ(fake.requests[0].timeout.count(), 0);
  EXPECT_EQ(fake.requests[0].Header("Accept"), "application/json, */*");
}

TEST(PodLogsTest, ServerErrorsAreStatuses) {
  RecordingTransport fake;
  fake.responses = {Respond(
      400,
      R"({"kind":"Status","status":"Failure","message":"container \"c\" in pod \"web\" is waiting to start: ContainerCreating","reason":"BadRequest","code":400})")};
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  Result<void> result = StreamPodLogs(
      client, "ns", "web", {}, [](std::string_view) { return true; }, nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().status()->reason, "BadRequest");
  EXPECT_EQ(result.error().message(),
            "container \"c\" in pod \"web\" is waiting to start: ContainerCreating");
}

}  // namespace
}  // namespace mm::kubeapi
