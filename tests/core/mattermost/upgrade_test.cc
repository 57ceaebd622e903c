// upgrade's pure decisions: release numbers, their order, and the pre-checks.
#include "core/mattermost/upgrade.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

TEST(ReleaseVersionTest, Parses) {
  auto version = ParseReleaseVersion("v10.9.1-rc2");
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(version->major, 10);
  EXPECT_EQ(version->minor, 9);
  EXPECT_EQ(version->patch, 1);
  EXPECT_EQ(version->prerelease, "rc2");
  ASSERT_TRUE(ParseReleaseVersion("9.11").has_value());
  EXPECT_EQ(ParseReleaseVersion("9.11")->patch, 0);
  for (const char* bad : {"", "latest", "10", "10.", "10.9.", "10.9.0-", "10.9.0.1", "x10.9",
                          "sha256:0123", "10.9.0 ", "1234567890.1"}) {
    EXPECT_FALSE(ParseReleaseVersion(bad).has_value()) << bad;
  }
}

TEST(ReleaseVersionTest, ClassifiesChanges) {
  struct Case {
    const char* from;
    const char* to;
    VersionChange want;
  };
  for (const Case& c : std::vector<Case>{
           {"10.8.1", "10.9.0", VersionChange::kUpgrade},
           {"10.8.1", "10.10.0", VersionChange::kUpgrade},  // numeric, not string order
           {"9.11.3", "10.0.0", VersionChange::kUpgrade},
           {"10.9.0", "10.8.1", VersionChange::kDowngrade},
           {"10.9.0", "10.9.0-rc1", VersionChange::kDowngrade},  // a prerelease precedes it
           {"10.9.0-rc1", "10.9.0-rc2", VersionChange::kUpgrade},
           {"10.8.1", "10.9.0-fail", VersionChange::kUpgrade},
           {"10.9.0", "v10.9.0", VersionChange::kSame},
           {"10.9.0", "10.9.0", VersionChange::kSame},
           {"10.9.0", "latest", VersionChange::kUnknown},
           {"sha256:aa", "10.9.0", VersionChange::kUnknown},
       }) {
    EXPECT_EQ(ClassifyVersionChange(c.from, c.to), c.want) << c.from << " -> " << c.to;
  }
}

TEST(ImageReferenceTest, TagOrDigest) {
  EXPECT_EQ(ImageReference("mattermost/x", "10.9.0"), "mattermost/x:10.9.0");
  EXPECT_EQ(ImageReference("mattermost/x", "sha256:ab"), "mattermost/x@sha256:ab");
}

constexpr char kImage[] = "mattermost/mattermost-enterprise-edition";

UpgradeFacts Stable(int32_t replicas) {
  return {.what = "Mattermost default/demo",
          .current_version = "10.8.1",
          .current_image = kImage,
          .replicas = replicas,
          .stable = true,
          .state = "stable",
          .live_image = std::string(kImage) + ":10.8.1"};
}

TEST(DecideUpgradeTest, ProceedsWithTwoReplicas) {
  UpgradeDecision decision = DecideUpgrade(Stable(2), {.version = "10.9.0", .image = kImage});
  EXPECT_EQ(decision.verdict, UpgradeVerdict::kProceed);
  EXPECT_EQ(decision.message, "");
}

TEST(DecideUpgradeTest, RefusesASingleReplicaUnlessDowntimeIsAllowed) {
  UpgradeDecision decision = DecideUpgrade(Stable(1), {.version = "10.9.0", .image = kImage});
  EXPECT_EQ(decision.verdict, UpgradeVerdict::kRefuse);
  EXPECT_EQ(decision.message,
            "Mattermost default/demo runs a single replica: a rolling upgrade needs at least two "
            "replicas (it cannot be performed with only one pod), so Mattermost would be down "
            "while its pod is replaced; pass --allow-downtime to accept that, or raise "
            "spec.replicas to 2 or more first");
  EXPECT_EQ(DecideUpgrade(Stable(1), {.version = "10.9.0", .image = kImage, .allow_downtime = true})
                .verdict,
            UpgradeVerdict::kProceed);
  // Zero replicas: no pod to take down.
  EXPECT_EQ(DecideUpgrade(Stable(0), {.version = "10.9.0", .image = kImage}).verdict,
            UpgradeVerdict::kProceed);
}

TEST(DecideUpgradeTest, ASingleReplicaAlreadyOnTheTargetNeedsNoDowntime) {
  // A rollback after a failed update job: the Deployment never left the old image.
  UpgradeFacts facts = Stable(1);
  facts.current_version = "10.9.0-fail";
  facts.stable = false;
  facts.state = "reconciling";
  UpgradeDecision decision =
      DecideUpgrade(facts, {.version = "10.8.1", .image = kImage, .rollback = true});
  EXPECT_EQ(decision.verdict, UpgradeVerdict::kProceed);
}

TEST(DecideUpgradeTest, RefusesADowngradeUnlessForcedOrRollingBack) {
  UpgradeFacts facts = Stable(2);
  UpgradeDecision decision = DecideUpgrade(facts, {.version = "10.7.0", .image = kImage});
  EXPECT_EQ(decision.verdict, UpgradeVerdict::kRefuse);
  EXPECT_EQ(decision.message,
            "10.8.1 -> 10.7.0 is a downgrade: the database may already hold the newer version's "
            "schema, which an older Mattermost cannot use; pass --force to downgrade anyway (or "
            "--rollback to undo the last upgrade)");
  EXPECT_EQ(DecideUpgrade(facts, {.version = "10.7.0", .image = kImage, .force = true}).verdict,
            UpgradeVerdict::kProceed);
  EXPECT_EQ(DecideUpgrade(facts, {.version = "10.7.0", .image = kImage, .rollback = true}).verdict,
            UpgradeVerdict::kProceed);
}

TEST(DecideUpgradeTest, RefusesAnUnstableInstallationUnlessForced) {
  UpgradeFacts facts = Stable(2);
  facts.stable = false;
  facts.state = "reconciling";
  UpgradeDecision decision = DecideUpgrade(facts, {.version = "10.9.0", .image = kImage});
  EXPECT_EQ(decision.verdict, UpgradeVerdict::kRefuse);
  EXPECT_EQ(decision.message,
            "Mattermost default/demo is not stable (state reconciling): let the current change "
            "finish or fix it first (see 'kubectl mattermost status'), or pass --force to upgrade "
            "anyway");
  EXPECT_EQ(DecideUpgrade(facts, {.version = "10.9.0", .image = kImage, .force = true}).verdict,
            UpgradeVerdict::kProceed);
}

TEST(DecideUpgradeTest, SameTargetIsNothingToDoOrAResume) {
  UpgradeFacts facts = Stable(2);
  UpgradeDecision same = DecideUpgrade(facts, {.version = "10.8.1", .image = kImage});
  EXPECT_EQ(same.verdict, UpgradeVerdict::kNothingToDo);
  EXPECT_EQ(same.message, "Mattermost default/demo already runs " + std::string(kImage) +
                              ":10.8.1: nothing to do");
  facts.stable = false;
  facts.state = "reconciling";
  UpgradeDecision resume = DecideUpgrade(facts, {.version = "10.8.1", .image = kImage});
  EXPECT_EQ(resume.verdict, UpgradeVerdict::kResume);
  EXPECT_EQ(resume.message,
            "resuming the change to " + std::string(kImage) + ":10.8.1 (state reconciling)");
  // Another image with the same version is a change.
  EXPECT_EQ(DecideUpgrade(Stable(2), {.version = "10.8.1", .image = "mattermost/team"}).verdict,
            UpgradeVerdict::kProceed);
}

}  // namespace
}  // namespace mm
