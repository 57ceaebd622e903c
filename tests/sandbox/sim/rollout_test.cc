#include "tests/sandbox/sim/rollout.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "tests/sandbox/sim/images.h"
#include "tests/sandbox/sim/pod_logs.h"

namespace sandbox::sim {
namespace {

rapidjson::Document Parse(const std::string& text) { return std::move(*mm::ParseJson(text)); }

TEST(RolloutTest, LimitsOfResolvesPercentagesAsTheControllerDoes) {
  struct Case {
    std::string spec;
    int surge, unavailable;
  } cases[] = {
      {R"({"replicas":4})", 1, 1},  // 25% of 4 both ways
      {R"({"replicas":3})", 1, 0},  // surge rounds up, unavailable down
      {R"({"replicas":1})", 1, 0},
      {R"({"replicas":10,"strategy":{"rollingUpdate":{"maxSurge":"50%","maxUnavailable":2}}})", 5,
       2},
      {R"({"replicas":3,"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}})", 0, 1},
      {R"({"replicas":3,"strategy":{"type":"Recreate"}})", 0, 0},
      {R"({"replicas":0})", 0, 0},
      {R"({"replicas":2,"strategy":{"rollingUpdate":{"maxUnavailable":"100%"}}})", 1, 2},
  };
  for (const auto& c : cases) {
    auto spec = Parse(c.spec);
    RolloutLimits limits = LimitsOf(spec);
    EXPECT_EQ(limits.max_surge, c.surge) << c.spec;
    EXPECT_EQ(limits.max_unavailable, c.unavailable) << c.spec;
  }
}

TEST(RolloutTest, NewReplicaSetTargetStaysWithinSurge) {
  struct Case {
    int desired, surge, new_spec, all_spec, want;
  } cases[] = {
      {3, 1, 0, 3, 1},  // one surge pod while the old set still has 3
      {3, 1, 1, 4, 1},  // at the surge ceiling: wait
      {3, 1, 1, 3, 2},  // old set scaled down by one: one more
      {3, 1, 0, 0, 3},  // fresh deployment: everything at once
      {3, 1, 5, 5, 3},  // scaled down
      {4, 2, 0, 4, 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NewReplicaSetTarget(c.desired, {c.surge, 0}, c.new_spec, c.all_spec), c.want)
        << c.desired << " " << c.new_spec << " " << c.all_spec;
  }
}

TEST(RolloutTest, OldReplicaSetTargetsKeepMinimumAvailability) {
  struct Case {
    int desired, unavailable;
    ReplicaSetCounts new_rs;
    std::vector<ReplicaSetCounts> old;
    std::vector<int> want;
  } cases[] = {
      // maxUnavailable 0: nothing goes until a new pod is available.
      {3, 0, {1, 0}, {{3, 3}}, {3}},
      {3, 0, {1, 1}, {{3, 3}}, {2}},
      // maxUnavailable 1: one old pod may go at once.
      {3, 1, {1, 0}, {{3, 3}}, {2}},
      // Unhealthy old pods go first, within the budget.
      {2, 1, {1, 0}, {{2, 0}}, {1}},
      // No budget while the new set is unavailable at the surge ceiling.
      {2, 0, {2, 0}, {{2, 0}}, {2}},
      // Oldest set first.
      {4, 1, {2, 2}, {{1, 1}, {2, 2}}, {0, 1}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(OldReplicaSetTargets(c.desired, {1, c.unavailable}, c.new_rs, c.old), c.want)
        << c.desired << " " << c.unavailable;
  }
}

TEST(RolloutTest, SafeEncodeUsesTheVowelFreeAlphabet) {
  // '1' is 49, 49 % 27 = 22 -> '5'; '2' -> 23 -> '6'; '3' -> 24 -> '7'; '0' -> 21 -> '4'.
  EXPECT_EQ(SafeEncode("1230"), "5674");
  EXPECT_EQ(PodTemplateHash(Parse(R"({"a":1})")), PodTemplateHash(Parse(R"({"a":1})")));
  EXPECT_NE(PodTemplateHash(Parse(R"({"a":1})")), PodTemplateHash(Parse(R"({"a":2})")));
}

TEST(RolloutTest, SetConditionKeepsTransitionTimeWhenStatusHolds) {
  rapidjson::Document doc(rapidjson::kObjectType);
  Json conditions(rapidjson::kArrayType);
  const std::vector<std::string> times = {"lastUpdateTime", "lastTransitionTime"};
  auto& alloc = doc.GetAllocator();
  EXPECT_TRUE(SetCondition(conditions, {"Progressing", "True", "A", "a"}, "t1", times, alloc));
  EXPECT_TRUE(SetCondition(conditions, {"Available", "False", "B", "b"}, "t1", times, alloc));
  EXPECT_FALSE(SetCondition(conditions, {"Progressing", "True", "A", "x"}, "t2", times, alloc));
  EXPECT_TRUE(SetCondition(conditions, {"Progressing", "True", "C", "c"}, "t3", times, alloc));
  EXPECT_EQ(Dump(conditions), R"([{"type":"Available","status":"False","lastUpdateTime":"t1",)"
                              R"("lastTransitionTime":"t1","reason":"B","message":"b"},)"
                              R"({"type":"Progressing","status":"True","lastUpdateTime":"t3",)"
                              R"("lastTransitionTime":"t1","reason":"C","message":"c"}])");
}

TEST(ImagesTest, BehaviourFollowsTheImageTable) {
  struct Case {
    std::string image;
    std::vector<std::string> command, args;
    Program program;
    int exit_code;
  } cases[] = {
      {"mattermost/mattermost-enterprise-edition:9.11.1", {}, {}, Program::kServer, 0},
      {"mattermost/mattermost-enterprise-edition:9.11.1", {}, {"db", "migrate"}, Program::kJob, 0},
      {"mattermost/mattermost-team-edition:10.0-fail",
       {"mattermost"},
       {"db", "migrate"},
       Program::kJob,
       1},
      {"mattermost/mattermost-operator:v1.22.0", {}, {}, Program::kServer, 0},
      {"nginx:crashloop", {}, {}, Program::kCrashLoop, 1},
      {"nginx:never-ready", {}, {}, Program::kNeverReady, 0},
      {"missing/thing:1", {}, {}, Program::kPullFail, 0},
      {"busybox", {"sh", "-c"}, {"echo hi"}, Program::kJob, 0},
      {"docker.io/library/alpine:3.20", {"true"}, {}, Program::kJob, 0},
      {"nginx:1.25", {}, {}, Program::kServer, 0},
  };
  for (const auto& c : cases) {
    Behaviour b = BehaviourOf(c.image, c.command, c.args);
    EXPECT_EQ(b.program, c.program) << c.image;
    EXPECT_EQ(b.exit_code, c.exit_code) << c.image;
  }
  EXPECT_EQ(BehaviourOf("busybox", {"sh", "-c"}, {"echo hi"}).log_lines,
            std::vector<std::string>{"sh -c echo hi"});
}

TEST(ImagesTest, BiglogWritesTheAskedSize) {
  Behaviour b = BehaviourOf("busybox:biglog-2", {}, {});
  EXPECT_EQ(b.program, Program::kJob);
  EXPECT_EQ(b.generated_bytes, 2 * 1024 * 1024);
  EXPECT_EQ(b.log_lines, std::vector<std::string>{"biglog: 2 MiB written"});
  int64_t bytes = 0;
  int lines = 0;
  std::string first;
  GenerateLogLines(b.generated_bytes, [&](std::string line) {
    if (lines++ == 0) first = line;
    bytes += static_cast<int64_t>(line.size()) + 1;
  });
  EXPECT_GE(bytes, b.generated_bytes);
  EXPECT_LT(bytes, b.generated_bytes + 100);
  EXPECT_EQ(first, "biglog line 000000000001 " + std::string(72, 'x'));
}

TEST(ImagesTest, NormalizeImageAddsRegistryAndTag) {
  EXPECT_EQ(NormalizeImage("nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(NormalizeImage("mattermost/mm:9.1"), "docker.io/mattermost/mm:9.1");
  EXPECT_EQ(NormalizeImage("registry.local:5000/a/b:2"), "registry.local:5000/a/b:2");
  EXPECT_EQ(ImageTag("registry.local:5000/a/b"), "latest");
  EXPECT_EQ(ImageId("nginx").rfind("docker.io/library/nginx@sha256:", 0), 0u);
}

TEST(PodLogsTest, RenderAppliesTailSinceTimestampsAndLimit) {
  using std::chrono::seconds;
  TimePoint base{seconds(1735689600)};
  std::vector<LogLine> lines = {
      {base, "one"}, {base + seconds(10), "two"}, {base + seconds(20), "three"}};
  struct Case {
    LogOptions options;
    std::string want;
  } cases[] = {
      {{}, "one\ntwo\nthree\n"},
      {{.tail_lines = 2}, "two\nthree\n"},
      {{.tail_lines = 0}, ""},
      {{.since_seconds = 15}, "two\nthree\n"},
      {{.limit_bytes = 6}, "one\ntw"},
      {{.timestamps = true, .tail_lines = 1}, "2025-01-01T00:00:20.000000000Z three\n"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RenderLog(lines, c.options, base + seconds(25)), c.want);
  }
}

}  // namespace
}  // namespace sandbox::sim
