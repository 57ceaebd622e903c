// v1alpha1: ClusterInstallation defaulting and sizes (§2.2 v1alpha1 rules, §2.4) and
// MattermostRestoreDB parsing (§1.4).
#include "core/mattermost/cluster_installation.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::Yaml;

rapidjson::Document Ci(const std::string& spec) {
  return Yaml(
      "apiVersion: mattermost.com/v1alpha1\nkind: ClusterInstallation\n"
      "metadata: {name: ci, namespace: ns}\nspec: " +
      spec + "\n");
}

TEST(ClusterInstallationTest, DefaultsAndKnownSize) {
  auto out = DefaultClusterInstallation(
      Ci("{ingressName: a.example.com, size: 1000users, replicas: 9, future: kept}"));
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(At(*out, "/spec/size"), "<absent>");
  EXPECT_EQ(At(*out, "/spec/image"), R"("mattermost/mattermost-enterprise-edition")");
  EXPECT_EQ(At(*out, "/spec/version"), R"("10.8.1")");
  EXPECT_EQ(At(*out, "/spec/imagePullPolicy"), R"("IfNotPresent")");
  EXPECT_EQ(At(*out, "/spec/future"), R"("kept")");
  EXPECT_EQ(At(*out, "/spec/replicas"), "2");
  EXPECT_EQ(At(*out, "/spec/resources"),
            R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"150m","memory":"256Mi"}})");
  EXPECT_EQ(
      At(*out, "/spec/minio"),
      R"({"storageSize":"50Gi","replicas":4,"resources":{"requests":{"cpu":"150m","memory":"512Mi"}}})");
  EXPECT_EQ(
      At(*out, "/spec/database"),
      R"({"type":"mysql","storageSize":"50Gi","version":"8.0","replicas":2,"resources":{"requests":{"cpu":"250m","memory":"512Mi"}}})");
}

TEST(ClusterInstallationTest, NoSizeFillsZeroesAndRestoreKeepsDatabaseAtZero) {
  auto out = DefaultClusterInstallation(
      Ci("{ingressName: a, replicas: 3, database: {type: postgres, replicas: 0, initBucketURL: "
         "s3://b}, minio: {externalURL: s3.amazonaws.com}}"));
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(At(*out, "/spec/replicas"), "3");
  EXPECT_EQ(At(*out, "/spec/database/replicas"), "0");
  EXPECT_EQ(At(*out, "/spec/database/version"), "<absent>");  // only mysql gets 8.0
  EXPECT_EQ(At(*out, "/spec/minio/replicas"), "4");  // defaulted even for an external MinIO
}

TEST(ClusterInstallationTest, BlueGreenAndCanaryDefaultsAndErrors) {
  auto out = DefaultClusterInstallation(
      Ci("{ingressName: a.example.com, blueGreen: {enable: true, productionDeployment: BLUE, "
         "blue: {image: i, version: '1'}, green: {image: i, version: '2'}}, "
         "canary: {enable: true, deployment: {image: i, version: '3'}}}"));
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(At(*out, "/spec/blueGreen/productionDeployment"), R"("blue")");
  EXPECT_EQ(At(*out, "/spec/blueGreen/blue"),
            R"({"image":"i","version":"1","name":"ci-blue","ingressName":"blue.a.example.com"})");
  EXPECT_EQ(At(*out, "/spec/blueGreen/green/name"), R"("ci-green")");
  EXPECT_EQ(At(*out, "/spec/canary/deployment/name"), R"("ci-canary")");

  struct Case {
    const char* spec;
    const char* error;
  };
  const Case kCases[] = {
      {"{size: 100users}", "IngressName required, but not set"},
      {"{ingressName: a, blueGreen: {enable: true, productionDeployment: red}}",
       "red is not a valid ProductionDeployment value, must be 'blue' or 'green'"},
      {"{ingressName: a, blueGreen: {enable: true, productionDeployment: green, blue: {image: "
       "i}}}",
       "Both Blue and Green deployment versions required, but not set"},
      {"{ingressName: a, canary: {enable: true, deployment: {version: '1'}}}",
       "Canary deployment image required, but not set"},
  };
  for (const Case& c : kCases) {
    auto failed = DefaultClusterInstallation(Ci(c.spec));
    ASSERT_FALSE(failed.ok()) << c.spec;
    EXPECT_EQ(failed.error().message(), c.error);
  }
}

TEST(ClusterInstallationTest, Validation) {
  EXPECT_EQ(ValidateClusterInstallation(Ci("{ingressName: a}")), std::vector<std::string>{});
  EXPECT_EQ(ValidateClusterInstallation(Ci("{size: 250000users, replicas: two}")),
            (std::vector<std::string>{
                "spec.ingressName: required",
                "spec.size: unknown size \"250000users\"; known sizes: 100users, 1000users, "
                "5000users, 10000users, 25000users, cloud10users, cloud100users, miniSingleton, "
                "miniHA",
                "spec.replicas: expected integer, got string"}));
}

TEST(MattermostRestoreDbTest, Parse) {
  auto restore = ParseMattermostRestoreDb(Yaml(
      "metadata: {name: r, namespace: ns}\nspec: {mattermostClusterName: ci, restoreSecret: s, "
      "initBucketURL: 's3://b/k', mattermostDBUser: u}\nstatus: {state: restoring, "
      "originalDBReplicas: 3}\n"));
  ASSERT_TRUE(restore.ok());
  EXPECT_EQ(restore->mattermost_cluster_name, "ci");
  EXPECT_EQ(restore->init_bucket_url, "s3://b/k");
  EXPECT_EQ(restore->mattermost_db_user, "u");
  EXPECT_EQ(restore->mattermost_db_name, "");
  EXPECT_EQ(restore->state, "restoring");
  EXPECT_EQ(restore->original_db_replicas, 3);
  auto bad = ParseMattermostRestoreDb(Yaml("metadata: {name: r}\nspec: {restoreSecret: 1}\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "MattermostRestoreDB \"r\" is invalid:\n  - spec.restoreSecret: expected string, got "
            "integer");
}

}  // namespace
}  // namespace mm
