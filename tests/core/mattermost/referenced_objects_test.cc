// CheckReferencedObjects: the objects the operator reads but never creates (operator.md §3.5,
// §3.7, the external file store), with the operator's messages.
#include "core/mattermost/referenced_objects.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;

std::string Check(const std::string& spec, const ClusterFacts& facts) {
  auto checked = CheckReferencedObjects(DefaultedWithSpec(spec), facts);
  return checked.ok() ? "" : checked.error().message();
}

ClusterFacts With(std::optional<ObjectFact> license, std::optional<ObjectFact> store,
                  std::optional<ObjectFact> account) {
  ClusterFacts facts;
  facts.license_secret = std::move(license);
  facts.file_store_secret = std::move(store);
  facts.service_account = std::move(account);
  return facts;
}

TEST(ReferencedObjectsTest, LicenseSecret) {
  const std::string spec = "  ingressName: h\n  licenseSecret: lic\n";
  EXPECT_EQ(Check(spec, With(ObjectFact{true, {"license"}}, {}, {})), "");
  EXPECT_EQ(Check(spec, With(ObjectFact{true, {"other"}}, {}, {})),
            "failed to check mattermost license secret.: secret lic is missing data key: license");
  EXPECT_EQ(Check(spec, With(ObjectFact{false, {}}, {}, {})),
            "failed to check mattermost license secret.: error getting secret: secrets \"lic\" "
            "not found");
  EXPECT_EQ(Check(spec, {}), "");  // not looked up (offline render): not checked
  EXPECT_EQ(Check("  ingressName: h\n", With(ObjectFact{false, {}}, {}, {})), "");  // no license
}

TEST(ReferencedObjectsTest, ExternalFileStoreSecret) {
  const std::string spec =
      "  ingressName: h\n  fileStore: {external: {url: s3.example.com, bucket: b, secret: s3}}\n";
  EXPECT_EQ(Check(spec, With({}, ObjectFact{true, {"accesskey", "secretkey"}}, {})), "");
  EXPECT_EQ(Check(spec, With({}, ObjectFact{true, {"accesskey"}}, {})),
            "external filestore Secret s3 does not have an 'secretkey' value");
  EXPECT_EQ(Check(spec, With({}, ObjectFact{true, {}}, {})),
            "external filestore Secret s3 does not have an 'accesskey' value");
  EXPECT_EQ(Check(spec, With({}, ObjectFact{false, {}}, {})), "secrets \"s3\" not found");
  // An empty bucket is refused after the secret was found, before its keys are looked at; it
  // is a problem of the spec alone, so it is also reported offline.
  const std::string no_bucket =
      "  ingressName: h\n  fileStore: {external: {url: s3.example.com, secret: s3}}\n";
  EXPECT_EQ(Check(no_bucket, With({}, ObjectFact{true, {}}, {})),
            "external file store bucket is empty");
  EXPECT_EQ(Check(no_bucket, With({}, ObjectFact{false, {}}, {})), "secrets \"s3\" not found");
  EXPECT_EQ(Check(no_bucket, {}), "external file store bucket is empty");
  // The file store is checked before the license, as the operator does.
  EXPECT_EQ(Check(spec + "  licenseSecret: lic\n",
                  With(ObjectFact{false, {}}, ObjectFact{false, {}}, {})),
            "secrets \"s3\" not found");
}

TEST(ReferencedObjectsTest, ServiceAccountForS3) {
  const std::string spec =
      "  ingressName: h\n  fileStore: {external: {url: s3.example.com, bucket: b, "
      "useServiceAccount: true}}\n";
  EXPECT_EQ(Check(spec, With({}, {}, ObjectFact{true, {"eks.amazonaws.com/role-arn"}})), "");
  EXPECT_EQ(Check(spec, With({}, {}, ObjectFact{true, {"other"}})),
            "service account does not have \"eks.amazonaws.com/role-arn\" annotation, which is "
            "required if fileStore.external.useServiceAccount is true");
  EXPECT_EQ(Check(spec, With({}, {}, ObjectFact{false, {}})),
            "service account needs to be created manually if fileStore.external.useServiceAccount "
            "is true: serviceaccounts \"foo\" not found");
  // The secret is not consulted in that mode.
  EXPECT_EQ(Check(spec, With({}, ObjectFact{false, {}},
                             ObjectFact{true, {"eks.amazonaws.com/role-arn"}})),
            "");
}

TEST(ReferencedObjectsTest, OperatorMysqlSecretKeysInTheOperatorsOrder) {
  auto with = [](std::set<std::string> keys) {
    ClusterFacts facts;
    facts.mysql_secret = ObjectFact{true, std::move(keys)};
    return facts;
  };
  const std::string spec = "  ingressName: h\n";
  EXPECT_EQ(Check(spec, with({"ROOT_PASSWORD", "USER", "PASSWORD", "DATABASE"})), "");
  EXPECT_EQ(Check(spec, with({})), "database root password shouldn't be empty");
  EXPECT_EQ(Check(spec, with({"ROOT_PASSWORD"})), "database username shouldn't be empty");
  EXPECT_EQ(Check(spec, with({"ROOT_PASSWORD", "USER"})), "database password shouldn't be empty");
  EXPECT_EQ(Check(spec, with({"ROOT_PASSWORD", "USER", "PASSWORD"})),
            "database name shouldn't be empty");
  // An external database does not use it.
  EXPECT_EQ(Check("  ingressName: h\n  database: {external: {secret: db}}\n", with({})), "");
}

TEST(ReferencedObjectsTest, ExternalVolumeClaim) {
  auto with = [](bool exists, std::string phase) {
    ClusterFacts facts;
    facts.external_volume_claim = ClaimFact{exists, std::move(phase), {}};
    return facts;
  };
  const std::string spec =
      "  ingressName: h\n  fileStore: {externalVolume: {volumeClaimName: data}}\n";
  EXPECT_EQ(Check(spec, with(true, "Bound")), "");
  EXPECT_EQ(Check(spec, with(true, "Pending")), "");
  EXPECT_EQ(Check(spec, with(true, "Lost")),
            "specified PVC for external volume storage is not Bound or Pending (Lost)");
  EXPECT_EQ(Check(spec, with(false, "")), "persistentvolumeclaims \"data\" not found");
}

TEST(ReferencedObjectsTest, LocalClaimAccessModesCannotChange) {
  auto with = [](std::vector<std::string> modes) {
    ClusterFacts facts;
    facts.local_claim = ClaimFact{true, "Bound", std::move(modes)};
    return facts;
  };
  const std::string spec = "  ingressName: h\n  fileStore: {local: {enabled: true}}\n";
  const std::string explicit_modes =
      "  ingressName: h\n  fileStore: {local: {enabled: true, accessModes: [ReadWriteMany, "
      "ReadOnlyMany]}}\n";
  // No explicit modes: the live ones are kept, whatever they are.
  EXPECT_EQ(Check(spec, with({"ReadWriteOnce"})), "");
  // The same modes in another order are the same modes.
  EXPECT_EQ(Check(explicit_modes, with({"ReadOnlyMany", "ReadWriteMany"})), "");
  EXPECT_EQ(Check(explicit_modes, with({"ReadWriteOnce"})),
            "cannot change PVC access modes from [ReadWriteOnce] to [ReadWriteMany ReadOnlyMany] "
            "as this requires PVC recreation which may cause data loss. Please manually migrate "
            "data and recreate the PVC with a different name if you need to change access modes");
  // A claim that does not exist yet is created with the explicit modes.
  ClusterFacts none;
  none.local_claim = ClaimFact{};
  EXPECT_EQ(Check(explicit_modes, none), "");
}

TEST(ReferencedObjectsTest, MinioServiceOfTheMinioOperator) {
  ClusterFacts facts;
  facts.minio_service_exists = false;
  EXPECT_EQ(Check("  ingressName: h\n", facts),
            "failed to get Minio URL: services \"foo-minio-hl-svc\" not found");
  EXPECT_EQ(Check("  ingressName: h\n  fileStore: {local: {enabled: true}}\n", facts), "");
}

}  // namespace
}  // namespace mm
