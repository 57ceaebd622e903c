// Where an upgrade stands, read from the live objects.
#include "core/mattermost/upgrade_progress.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::Yaml;

constexpr char kOld[] = "mattermost/mm:10.8.1";
constexpr char kNew[] = "mattermost/mm:10.9.0";

rapidjson::Document Deployment(const std::string& image, int generation, int observed,
                               const std::string& revision, int replicas) {
  return Yaml("kind: Deployment\nmetadata: {name: demo, generation: " + std::to_string(generation) +
              ", annotations: {deployment.kubernetes.io/revision: '" + revision +
              "'}}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n"
              "      - {name: mattermost, image: '" +
              image + "'}\nstatus: {observedGeneration: " + std::to_string(observed) +
              ", replicas: " + std::to_string(replicas) + "}\n");
}

rapidjson::Document Job(const std::string& image, const std::string& status) {
  return Yaml(
      "kind: Job\nmetadata: {name: mattermost-update-check}\nspec:\n  backoffLimit: 10\n"
      "  template:\n    spec:\n      containers:\n      - {name: mattermost, image: '" +
      image + "', args: [db, migrate]}\nstatus: " + status + "\n");
}

rapidjson::Document Pod(const std::string& name, const std::string& status) {
  return Yaml("kind: Pod\nmetadata: {name: " + name + "}\nstatus: " + status + "\n");
}

TEST(UpgradeProgressTest, WaitsForTheJobWhileTheDeploymentRunsTheOldImage) {
  rapidjson::Document deployment = Deployment(kOld, 1, 1, "1", 2);
  UpgradeProgress progress = ReadUpgradeProgress({.deployment = &deployment}, kNew);
  EXPECT_EQ(progress.step, UpgradeStep::kWaitingForJob);
  EXPECT_EQ(progress.detail, "waiting for the update job");
  // A job for another image does not count.
  rapidjson::Document other = Job("mattermost/mm:10.8.5", "{}");
  EXPECT_EQ(ReadUpgradeProgress({.deployment = &deployment, .job = &other}, kNew).step,
            UpgradeStep::kWaitingForJob);
}

TEST(UpgradeProgressTest, JobCreatedThenRunningThenSucceeded) {
  rapidjson::Document deployment = Deployment(kOld, 1, 1, "1", 2);
  rapidjson::Document job = Job(kNew, "{active: 1}");
  rapidjson::Document pending = Pod("mattermost-update-check-abc", "{phase: Pending}");
  UpgradeProgress created =
      ReadUpgradeProgress({.deployment = &deployment, .job = &job, .job_pods = {&pending}}, kNew);
  EXPECT_EQ(created.step, UpgradeStep::kJobCreated);
  EXPECT_EQ(created.detail, "update job mattermost-update-check created");
  rapidjson::Document running = Pod("mattermost-update-check-abc", "{phase: Running}");
  UpgradeProgress run =
      ReadUpgradeProgress({.deployment = &deployment, .job = &job, .job_pods = {&running}}, kNew);
  EXPECT_EQ(run.step, UpgradeStep::kJobRunning);
  EXPECT_EQ(run.detail, "update job pod mattermost-update-check-abc running");
  rapidjson::Document done = Job(kNew, "{conditions: [{type: Complete, status: 'True'}]}");
  EXPECT_EQ(ReadUpgradeProgress({.deployment = &deployment, .job = &done}, kNew).step,
            UpgradeStep::kJobSucceeded);
}

TEST(UpgradeProgressTest, FailedJobSaysWhy) {
  rapidjson::Document deployment = Deployment(kOld, 1, 1, "1", 2);
  rapidjson::Document job =
      Job(kNew,
          "{failed: 11, conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded, "
          "message: Job has reached the specified backoff limit}]}");
  rapidjson::Document first =
      Pod("a",
          "{phase: Failed, containerStatuses: [{name: mattermost, state: {terminated: "
          "{exitCode: 1, reason: Error, finishedAt: '2026-01-01T00:00:01Z'}}}]}");
  rapidjson::Document last =
      Pod("b",
          "{phase: Failed, containerStatuses: [{name: mattermost, state: {terminated: "
          "{exitCode: 2, reason: Error, finishedAt: '2026-01-01T00:00:09Z'}}}]}");
  UpgradeProgress progress = ReadUpgradeProgress(
      {.deployment = &deployment, .job = &job, .job_pods = {&last, &first}}, kNew);
  EXPECT_EQ(progress.step, UpgradeStep::kJobFailed);
  EXPECT_EQ(progress.failure,
            "BackoffLimitExceeded: Job has reached the specified backoff limit; container "
            "mattermost exited 2 (Error)");
  // Past backoffLimit before the controller wrote the condition.
  rapidjson::Document exhausted = Job(kNew, "{failed: 11}");
  UpgradeProgress counted =
      ReadUpgradeProgress({.deployment = &deployment, .job = &exhausted}, kNew);
  EXPECT_EQ(counted.step, UpgradeStep::kJobFailed);
  EXPECT_EQ(counted.failure, "11 pods failed (backoffLimit 10)");
  rapidjson::Document retrying = Job(kNew, "{failed: 3, active: 1}");
  EXPECT_EQ(ReadUpgradeProgress({.deployment = &deployment, .job = &retrying}, kNew).step,
            UpgradeStep::kJobCreated);
}

TEST(UpgradeProgressTest, RolloutCountsTheNewReplicaSetsAvailablePods) {
  rapidjson::Document deployment = Deployment(kNew, 2, 2, "2", 3);
  rapidjson::Document old_set = Yaml(
      "metadata: {annotations: {deployment.kubernetes.io/revision: '1'}}\n"
      "status: {availableReplicas: 2}\n");
  rapidjson::Document new_set = Yaml(
      "metadata: {annotations: {deployment.kubernetes.io/revision: '2'}}\n"
      "status: {availableReplicas: 1}\n");
  UpgradeProgress progress =
      ReadUpgradeProgress({.deployment = &deployment, .replica_sets = {&old_set, &new_set}}, kNew);
  EXPECT_EQ(progress.step, UpgradeStep::kRollingOut);
  EXPECT_EQ(progress.detail, "rollout: 1/2 pods updated and ready");
  // Not yet seen by the Deployment controller: nothing counts.
  rapidjson::Document unseen = Deployment(kNew, 3, 2, "2", 2);
  EXPECT_EQ(ReadUpgradeProgress({.deployment = &unseen, .replica_sets = {&new_set}}, kNew).detail,
            "rollout: 0/2 pods updated and ready");
}

TEST(UpgradeProgressTest, StableOnceRolledAndTheMattermostIsStable) {
  rapidjson::Document deployment = Deployment(kNew, 2, 2, "2", 2);
  rapidjson::Document new_set = Yaml(
      "metadata: {annotations: {deployment.kubernetes.io/revision: '2'}}\n"
      "status: {availableReplicas: 2}\n");
  rapidjson::Document reconciling =
      Yaml("metadata: {generation: 3}\nstatus: {state: reconciling, observedGeneration: 3}\n");
  rapidjson::Document stable =
      Yaml("metadata: {generation: 3}\nstatus: {state: stable, observedGeneration: 3}\n");
  UpgradeObservation observed{
      .mattermost = &reconciling, .deployment = &deployment, .replica_sets = {&new_set}};
  EXPECT_EQ(ReadUpgradeProgress(observed, kNew).step, UpgradeStep::kRollingOut);
  observed.mattermost = &stable;
  UpgradeProgress progress = ReadUpgradeProgress(observed, kNew);
  EXPECT_EQ(progress.step, UpgradeStep::kStable);
  EXPECT_EQ(progress.detail, "rollout: 2/2 pods updated and ready");
}

}  // namespace
}  // namespace mm
