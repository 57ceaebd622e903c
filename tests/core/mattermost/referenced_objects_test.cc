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
            "secret lic is missing data key: license");
  EXPECT_EQ(Check(spec, With(ObjectFact{false, {}}, {}, {})),
            "error getting secret: secrets \"lic\" not found");
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

}  // namespace
}  // namespace mm
