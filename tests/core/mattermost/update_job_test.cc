// §5: when the update Job is needed, its spec, and how its state is read (with the
// "failed forever looks like running" quirk fixed).
#include "core/mattermost/update_job.h"

#include <gtest/gtest.h>

#include "core/mattermost/deployment.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::DefaultedWithSpec;
using testing::ExpectSameJson;
using testing::Yaml;

TEST(UpdateJobTest, NeededOnlyWhenTheImageChangesAndItIsEnabled) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n  version: 10.9.0\n");
  rapidjson::Document desired = BuildDeployment(mattermost, {});
  rapidjson::Document same = BuildDeployment(mattermost, {});
  rapidjson::Document older = BuildDeployment(DefaultedWithSpec("  ingressName: h\n"), {});
  EXPECT_FALSE(*UpdateJobNeeded(mattermost, desired, same));
  EXPECT_TRUE(*UpdateJobNeeded(mattermost, desired, older));
  Mattermost disabled =
      DefaultedWithSpec("  ingressName: h\n  version: 10.9.0\n  updateJob: {disabled: true}\n");
  EXPECT_FALSE(*UpdateJobNeeded(disabled, desired, older));
  auto missing = UpdateJobNeeded(mattermost, desired, Yaml("kind: Deployment\nspec: {}\n"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "failed to get mattermost container from Deployment");
}

TEST(UpdateJobTest, JobSpec) {
  Mattermost mattermost = DefaultedWithSpec(
      "  ingressName: h\n  version: 10.9.0\n"
      "  updateJob: {extraLabels: {team: a, app: mine}, extraAnnotations: {note: text}}\n"
      "  database: {external: {secret: db}}\n  fileStore: {local: {enabled: true}}\n"
      "  podExtensions: {sidecarContainers: [{name: side, image: s}]}\n");
  rapidjson::Document job = BuildUpdateJob(mattermost, BuildDeployment(mattermost, {}));
  ExpectSameJson(Yaml(R"(
name: mattermost-update-check
namespace: default
ownerReferences:
- {apiVersion: installation.mattermost.com/v1beta1, kind: Mattermost, name: foo, uid: uid-1, controller: true, blockOwnerDeletion: true}
)"),
                 job["metadata"], "metadata");
  EXPECT_EQ(At(job, "/spec/backoffLimit"), "10");
  EXPECT_EQ(
      At(job, "/spec/template/metadata"),
      R"({"labels":{"app":"mattermost-update-check","team":"a"},"annotations":{"note":"text"}})");
  EXPECT_EQ(At(job, "/spec/template/spec/restartPolicy"), R"("Never")");
  EXPECT_EQ(At(job, "/spec/template/spec/serviceAccountName"), R"("foo")");
  const std::string app = "/spec/template/spec/containers/0";
  EXPECT_EQ(At(job, app + "/image"), R"("mattermost/mattermost-enterprise-edition:10.9.0")");
  EXPECT_EQ(At(job, app + "/command"), R"(["mattermost"])");
  EXPECT_EQ(At(job, app + "/args"), R"(["db","migrate"])");
  EXPECT_EQ(At(job, app + "/livenessProbe"), "<absent>");
  EXPECT_EQ(At(job, app + "/readinessProbe"), "<absent>");
  // QUIRK copied: sidecars stay.
  EXPECT_EQ(At(job, "/spec/template/spec/containers/1/name"), R"("side")");
  EXPECT_EQ(At(job, "/spec/template/spec/volumes/0/name"), R"("mattermost-data")");
}

TEST(UpdateJobTest, States) {
  const std::string image = "mattermost/mattermost-enterprise-edition:10.9.0";
  auto job = [&](const std::string& job_image, const std::string& status) {
    return Yaml(
        "kind: Job\nspec:\n  template:\n    spec:\n      containers:\n      - name: "
        "mattermost\n        image: " +
        job_image + "\nstatus: " + status + "\n");
  };
  struct Case {
    std::string image;
    std::string status;
    UpdateJobState state;
  };
  const Case kCases[] = {
      {image, "{active: 1}", UpdateJobState::kRunning},
      {image, "{}", UpdateJobState::kRunning},
      {image,
       "{succeeded: 1, completionTime: '2026-01-01T00:00:00Z', conditions: [{type: Complete, "
       "status: 'True'}]}",
       UpdateJobState::kSucceeded},
      // Success after one failed pod: the operator retries; we accept it.
      {image, "{failed: 1, succeeded: 1, conditions: [{type: Complete, status: 'True'}]}",
       UpdateJobState::kSucceeded},
      // Backoff exhausted: no completionTime, so the operator waits forever; we call it failed.
      {image,
       "{failed: 11, conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded}]}",
       UpdateJobState::kFailed},
      {image, "{failed: 2, conditions: [{type: Failed, status: 'False'}]}",
       UpdateJobState::kRunning},
      {"mattermost/mattermost-enterprise-edition:10.8.1", "{succeeded: 1}",
       UpdateJobState::kOutdated},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ReadUpdateJob(job(c.image, c.status), image), c.state) << c.status;
  }
}

}  // namespace
}  // namespace mm
