// BuildChildren follows the operator's steps (operator.md §3.0, controller order: database, file
// store, license, Service, ...): a check that fails stops the reconcile after the children of the
// earlier steps, which are still created or updated; Reconcile then fails with the operator's
// message, state reconciling, and the resourcePatch entries untouched (§6.1 step 7).
#include "core/mattermost/children.h"

#include <gtest/gtest.h>

#include "core/mattermost/reconcile.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::DefaultedWithSpec;

void Zeroes(uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) out[i] = 0;
}

std::string Kinds(const DesiredState& state) {
  std::string text;
  for (const DesiredChild& child : state.children) {
    if (child.object) text += child.kind + "/" + child.name + " ";
  }
  return text;
}

TEST(ChildrenTest, MissingMinioServiceStopsAfterTheMinioObjects) {
  ClusterFacts facts;
  facts.minio_service_exists = false;
  RandomBytes random = Zeroes;
  auto state = BuildChildren(DefaultedWithSpec("  ingressName: h\n"), facts, &random);
  ASSERT_TRUE(state.ok()) << state.error().message();
  // The MinIO operator creates its Service from the MinIOInstance: the instance must be created
  // although the Service is missing, or it never appears.
  EXPECT_EQ(Kinds(*state),
            "MysqlCluster/db-acbd18 Secret/foo-mysql-root-password Secret/foo-minio "
            "MinIOInstance/foo-minio ");
  EXPECT_EQ(state->error, "failed to get Minio URL: services \"foo-minio-hl-svc\" not found");
}

TEST(ChildrenTest, FileStoreAndLicenseChecksStopAtTheirStep) {
  ClusterFacts missing_secret;
  missing_secret.file_store_secret = ObjectFact{};
  auto external = BuildChildren(
      DefaultedWithSpec("  ingressName: h\n"
                        "  fileStore: {external: {url: s3.example.com, bucket: b, secret: s3}}\n"),
      missing_secret);
  ASSERT_TRUE(external.ok());
  EXPECT_EQ(Kinds(*external), "MysqlCluster/db-acbd18 ");
  EXPECT_EQ(external->error, "secrets \"s3\" not found");

  ClusterFacts no_license;
  no_license.license_secret = ObjectFact{};
  auto local = BuildChildren(DefaultedWithSpec("  ingressName: h\n  licenseSecret: lic\n"
                                               "  fileStore: {local: {enabled: true}}\n"),
                             no_license);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(Kinds(*local), "MysqlCluster/db-acbd18 PersistentVolumeClaim/foo ");
  EXPECT_EQ(local->error,
            "failed to check mattermost license secret.: error getting secret: secrets \"lic\" "
            "not found");

  // A MySQL secret that lost a key stops right after the database's objects.
  ClusterFacts broken;
  broken.mysql_secret = ObjectFact{true, {"ROOT_PASSWORD", "USER", "DATABASE"}};
  auto mysql = BuildChildren(DefaultedWithSpec("  ingressName: h\n"), broken);
  ASSERT_TRUE(mysql.ok());
  EXPECT_EQ(Kinds(*mysql), "MysqlCluster/db-acbd18 ");
  EXPECT_EQ(mysql->error, "database password shouldn't be empty");
}

TEST(ChildrenTest, ReconcileCreatesTheEarlierChildrenThenFails) {
  ClusterFacts no_license;
  no_license.license_secret = ObjectFact{true, {"other"}};
  Mattermost mattermost = DefaultedWithSpec(
      "  ingressName: h\n  licenseSecret: lic\n  fileStore: {local: {enabled: true}}\n");
  auto desired = BuildChildren(mattermost, no_license);
  ASSERT_TRUE(desired.ok());
  ObservedState observed;
  observed.status.state = "stable";
  observed.status.service_patch = PatchStatus{true, ""};
  Plan plan = Reconcile(mattermost, *desired, observed);
  ASSERT_EQ(plan.actions.size(), 2u);
  EXPECT_EQ(plan.actions[0].kind, "MysqlCluster");
  EXPECT_EQ(plan.actions[1].kind, "PersistentVolumeClaim");
  const std::string message =
      "failed to check mattermost license secret.: secret lic is missing data key: license";
  EXPECT_EQ(plan.error, message);
  EXPECT_TRUE(plan.act_then_fail);  // the claim and the MysqlCluster are created, then it fails
  EXPECT_EQ(plan.status.error, message);
  EXPECT_EQ(plan.status.state, "reconciling");
  EXPECT_FALSE(plan.requeue_after_seconds.has_value());  // an error: the controller's back-off
  EXPECT_EQ(plan.status.service_patch, (PatchStatus{true, ""}));  // never reached: kept
}

TEST(ChildrenTest, LocalClaimKeepsTheLiveAccessModes) {
  auto modes = [](const std::string& spec, std::vector<std::string> live) {
    ClusterFacts facts;
    facts.local_claim = ClaimFact{true, "Bound", std::move(live)};
    auto state = BuildChildren(DefaultedWithSpec("  ingressName: h\n" + spec), facts);
    EXPECT_TRUE(state.ok() && state->error.empty());
    for (const DesiredChild& child : state->children) {
      if (child.kind == "PersistentVolumeClaim") return At(*child.object, "/spec/accessModes");
    }
    return std::string("<no claim>");
  };
  // §3.11: an existing claim keeps its modes when the spec names none ...
  EXPECT_EQ(modes("  fileStore: {local: {enabled: true}}\n", {"ReadWriteOnce"}),
            R"(["ReadWriteOnce"])");
  // ... and its order when the spec names the same ones in another (access modes are immutable).
  EXPECT_EQ(modes("  fileStore: {local: {enabled: true, accessModes: [ReadWriteMany, "
                  "ReadOnlyMany]}}\n",
                  {"ReadOnlyMany", "ReadWriteMany"}),
            R"(["ReadOnlyMany","ReadWriteMany"])");
  // A new claim: the spec's modes, else ReadWriteMany.
  ClusterFacts none;
  none.local_claim = ClaimFact{};
  auto fresh = BuildChildren(
      DefaultedWithSpec("  ingressName: h\n  fileStore: {local: {enabled: true, storageSize: "
                        "2000Mi}}\n"),
      none);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(At(*fresh->children[1].object, "/spec"),
            R"({"accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":"2000Mi"}}})");
}

}  // namespace
}  // namespace mm
