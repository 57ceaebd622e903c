// The upgrade's progress as a user sees it: plain lines off a terminal, one redrawn block on it.
#include "plugin/upgrade/upgrade_printer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mm {
namespace {

UpgradeProgress Step(UpgradeStep step, std::string detail) {
  return {.step = step, .detail = std::move(detail)};
}

TEST(UpgradePrinterTest, PlainLinesOnceEach) {
  std::ostringstream out;
  UpgradePrinter printer(out, false);
  printer.Progress(Step(UpgradeStep::kJobCreated, "update job j created"));
  printer.Progress(Step(UpgradeStep::kJobCreated, "update job j created"));
  printer.Progress(Step(UpgradeStep::kJobRunning, "update job pod p running"));
  printer.JobLine("migrating");
  // The pod has ended, the job's success is not recorded yet: "created" again, not shown again.
  printer.Progress(Step(UpgradeStep::kJobCreated, "update job j created"));
  printer.Progress(Step(UpgradeStep::kJobSucceeded, "update job j succeeded"));
  printer.Progress(Step(UpgradeStep::kRollingOut, "rollout: 0/2 pods updated and ready"));
  printer.Progress(Step(UpgradeStep::kRollingOut, "rollout: 0/2 pods updated and ready"));
  printer.Progress(Step(UpgradeStep::kStable, "rollout: 2/2 pods updated and ready"));
  EXPECT_EQ(out.str(),
            "update job j created\n"
            "update job pod p running\n"
            "  job | migrating\n"
            "update job j succeeded\n"
            "rollout: 0/2 pods updated and ready\n"
            "rollout: 2/2 pods updated and ready\n");
}

TEST(UpgradePrinterTest, TerminalRedrawsOneBlock) {
  std::ostringstream out;
  UpgradePrinter printer(out, true, 40);
  printer.Progress(Step(UpgradeStep::kJobCreated, "update job j created"));
  printer.JobLine("a very long migration line that does not fit in forty columns");
  printer.Progress(Step(UpgradeStep::kRollingOut, "rollout: 1/2"));
  printer.Progress(Step(UpgradeStep::kRollingOut, "rollout: 2/2"));
  EXPECT_EQ(out.str(),
            "\033[J- update job j created\n"
            "\033[1F\033[J- update job j created\n"
            "  job | a very long migration line t...\n"
            "\033[2F\033[J- update job j created\n"
            "  job | a very long migration line t...\n"
            "- rollout: 1/2\n"
            "\033[3F\033[J- update job j created\n"
            "  job | a very long migration line t...\n"
            "- rollout: 2/2\n");
}

TEST(UpgradePrinterTest, KeepsTheJobsLastLines) {
  std::ostringstream out;
  UpgradePrinter printer(out, false);
  for (int i = 0; i < 15; ++i) printer.JobLine("line " + std::to_string(i));
  std::vector<std::string> tail = printer.JobTail();
  ASSERT_EQ(tail.size(), UpgradePrinter::kTailLines);
  EXPECT_EQ(tail.front(), "line 5");
  EXPECT_EQ(tail.back(), "line 14");
}

}  // namespace
}  // namespace mm
