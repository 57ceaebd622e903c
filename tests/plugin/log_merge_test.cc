// logs: several pods' lines interleaved by time.
#include "plugin/logs/log_merge.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

TEST(LogMergeTest, InterleavesByTimeWithPrefixes) {
  std::vector<TimedLogLine> a = {
      ParseTimedLine("2026-11-21T09:00:01.5Z first of a", LogPrefix("a", "mattermost")),
      ParseTimedLine("2026-11-21T09:00:03Z second of a", LogPrefix("a", "mattermost")),
  };
  std::vector<TimedLogLine> b = {
      ParseTimedLine("2026-11-21T09:00:01Z first of b", LogPrefix("b", "mattermost")),
      ParseTimedLine("2026-11-21T09:00:01.25Z second of b", LogPrefix("b", "mattermost")),
      ParseTimedLine("2026-11-21T09:00:03Z third of b", LogPrefix("b", "mattermost")),
  };
  EXPECT_EQ(MergeByTime({a, b}, false),
            (std::vector<std::string>{
                "[pod/b/mattermost] first of b",   // :01 before :01.25 (no fraction = .0)
                "[pod/b/mattermost] second of b",  // .25 before .5 whatever their lengths
                "[pod/a/mattermost] first of a",
                "[pod/a/mattermost] second of a",  // equal times keep the pods' order
                "[pod/b/mattermost] third of b",
            }));
  EXPECT_EQ(MergeByTime({b}, true).front(), "[pod/b/mattermost] 2026-11-21T09:00:01Z first of b");
}

TEST(LogMergeTest, UntimedLinesKeepTheirText) {
  TimedLogLine line = ParseTimedLine("no time here", "");
  EXPECT_EQ(line.text, "no time here");
  EXPECT_EQ(line.time, "");
  EXPECT_EQ(MergeByTime({{line}}, true), std::vector<std::string>{"no time here"});
}

}  // namespace
}  // namespace mm
