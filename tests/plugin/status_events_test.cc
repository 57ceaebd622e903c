// The warning events `status NAME` shows: only the installation's own, the most recent last.
#include "plugin/status/status_events.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

std::string Event(const std::string& type, const std::string& kind, const std::string& name,
                  const std::string& reason, const std::string& last, int count = 1) {
  return R"({"type":")" + type + R"(","involvedObject":{"kind":")" + kind + R"(","name":")" + name +
         R"("},"reason":")" + reason + R"(","message":"m","count":)" + std::to_string(count) +
         R"(,"lastTimestamp":")" + last + R"("})";
}

TEST(StatusEventsTest, OnlyTheInstallationsOwnWarningsByTime) {
  std::string list =
      R"({"items":[)" +
      Event("Warning", "Job", "mattermost-update-check", "BackoffLimitExceeded",
            "2026-01-01T00:00:05Z") +
      "," + Event("Normal", "Deployment", "demo", "ScalingReplicaSet", "2026-01-01T00:00:01Z") +
      "," + Event("Warning", "Pod", "demo-7d9c-x2x8q", "BackOff", "2026-01-01T00:00:03Z", 4) + "," +
      Event("Warning", "Pod", "demo2-6f9d-k5c8x", "BackOff", "2026-01-01T00:00:04Z") + "," +
      Event("Warning", "Deployment", "demo2", "Failed", "2026-01-01T00:00:04Z") + "," +
      Event("Warning", "ReplicaSet", "demo-7d9c", "FailedCreate", "2026-01-01T00:00:02Z") + "," +
      Event("Warning", "ReplicaSet", "demo-x-7d9c", "FailedCreate", "2026-01-01T00:00:02Z") + "," +
      Event("Warning", "Pod", "mattermost-update-check-abcde", "Failed", "2026-01-01T00:00:06Z") +
      "," + Event("Warning", "Ingress", "demo", "Sync", "2026-01-01T00:00:00Z") + "]}";
  auto events = ParseJson(list);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(RecentWarnings(*events, "demo", {"demo-7d9c-x2x8q"}, 10),
            (std::vector<std::string>{
                "  Ingress/demo: Sync: m",
                "  ReplicaSet/demo-7d9c: FailedCreate: m",
                "  Pod/demo-7d9c-x2x8q: BackOff: m (x4)",
                "  Job/mattermost-update-check: BackoffLimitExceeded: m",
                "  Pod/mattermost-update-check-abcde: Failed: m",
            }));
  EXPECT_EQ(RecentWarnings(*events, "demo", {}, 2),
            (std::vector<std::string>{"  Job/mattermost-update-check: BackoffLimitExceeded: m",
                                      "  Pod/mattermost-update-check-abcde: Failed: m"}));
}

}  // namespace
}  // namespace mm
