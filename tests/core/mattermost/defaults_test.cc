#include "core/mattermost/defaults.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::MattermostWithSpec;

rapidjson::Document Defaults(const std::string& spec_yaml) {
  auto document = DefaultMattermost(MattermostWithSpec(spec_yaml));
  EXPECT_TRUE(document.ok()) << (document.ok() ? "" : document.error().message());
  return document.ok() ? std::move(*document) : rapidjson::Document();
}

std::string Requests(const char* cpu, const char* memory) {
  return std::string(R"({"requests":{"cpu":")") + cpu + R"(","memory":")" + memory + R"("}})";
}

// operator.md §2.2: every size of the table, canonical quantities (2000m -> 2).
TEST(DefaultsTest, EverySizeSetsReplicasAndResources) {
  // One row of the table: replicas, then cpu / memory requests (and the app's limits).
  struct Case {
    const char* size;
    const char *app, *app_cpu, *app_memory, *limit_cpu, *limit_memory;
    const char *minio, *minio_cpu, *minio_memory;
    const char *db, *db_cpu, *db_memory;
  };
  const Case kCases[] = {
      {"100users", "1", "100m", "256Mi", "2", "4Gi", "1", "100m", "256Mi", "1", "200m", "512Mi"},
      {"1000users", "2", "150m", "256Mi", "2", "4Gi", "4", "150m", "512Mi", "2", "250m", "512Mi"},
      {"5000users", "2", "500m", "500Mi", "4", "8Gi", "4", "200m", "500Mi", "3", "500m", "500Mi"},
      {"10000users", "2", "500m", "500Mi", "4", "8Gi", "4", "200m", "500Mi", "3", "500m", "500Mi"},
      {"25000users", "2", "1", "4Gi", "4", "16Gi", "4", "300m", "500Mi", "3", "500m", "1Gi"},
      {"cloud10users", "2", "10m", "150Mi", "2", "4Gi", "4", "100m", "256Mi", "2", "200m", "512Mi"},
      {"cloud100users", "2", "50m", "256Mi", "2", "4Gi", "4", "100m", "256Mi", "2", "200m",
       "512Mi"},
      {"miniSingleton", "1", "10m", "150Mi", "2", "4Gi", "1", "100m", "256Mi", "1", "200m",
       "512Mi"},
      {"miniHA", "2", "10m", "150Mi", "2", "4Gi", "4", "100m", "256Mi", "2", "200m", "512Mi"},
  };
  for (const Case& c : kCases) {
    // A known size overwrites what the user set.
    rapidjson::Document out = Defaults(std::string("  size: ") + c.size +
                                       "\n  ingressName: h\n  replicas: 7\n"
                                       "  database:\n    operatorManaged:\n      replicas: 9\n");
    std::string app_resources = std::string(R"({"limits":{"cpu":")") + c.limit_cpu +
                                R"(","memory":")" + c.limit_memory + R"("},)" +
                                Requests(c.app_cpu, c.app_memory).substr(1);
    EXPECT_EQ(At(out, "/spec/size"), "<absent>") << c.size;
    EXPECT_EQ(At(out, "/spec/replicas"), c.app) << c.size;
    EXPECT_EQ(At(out, "/spec/scheduling/resources"), app_resources) << c.size;
    EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/replicas"), c.minio) << c.size;
    EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/resources"),
              Requests(c.minio_cpu, c.minio_memory))
        << c.size;
    EXPECT_EQ(At(out, "/spec/database/operatorManaged/replicas"), c.db) << c.size;
    EXPECT_EQ(At(out, "/spec/database/operatorManaged/resources"), Requests(c.db_cpu, c.db_memory))
        << c.size;
  }
}

TEST(DefaultsTest, NoSizeFillsOnlyWhatIsUnsetAndZeroReplicasSurvive) {
  rapidjson::Document out = Defaults(
      "  ingressName: h\n  replicas: 0\n"
      "  scheduling:\n    resources:\n      requests:\n        cpu: 2000m\n"
      "  fileStore:\n    operatorManaged:\n      replicas: 0\n");
  EXPECT_EQ(At(out, "/spec/replicas"), "0");
  EXPECT_EQ(At(out, "/spec/scheduling/resources"), R"({"requests":{"cpu":"2"}})");
  EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/replicas"), "0");
  EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/resources"),
            R"({"requests":{"cpu":"200m","memory":"500Mi"}})");
  EXPECT_EQ(At(out, "/spec/database/operatorManaged/replicas"), "3");
}

TEST(DefaultsTest, UnknownSizeIsErasedAndActsLikeNoSize) {
  rapidjson::Document out = Defaults("  size: 50000users\n  ingressName: h\n  replicas: 5\n");
  EXPECT_EQ(At(out, "/spec/size"), "<absent>");
  EXPECT_EQ(At(out, "/spec/replicas"), "5");
  EXPECT_EQ(At(out, "/spec/scheduling/resources"),
            R"({"limits":{"cpu":"4","memory":"8Gi"},"requests":{"cpu":"500m","memory":"500Mi"}})");
}

TEST(DefaultsTest, ImageVersionPolicyAndStoresDefaultOnlyWhenEmpty) {
  rapidjson::Document out = Defaults(
      "  ingressName: h\n  image: my/mm\n  imagePullPolicy: Always\n"
      "  database:\n    external:\n      secret: db\n"
      "  fileStore:\n    external:\n      bucket: b\n");  // no url: MinIO still defaulted
  EXPECT_EQ(At(out, "/spec/image"), R"("my/mm")");
  EXPECT_EQ(At(out, "/spec/version"), R"("10.8.1")");
  EXPECT_EQ(At(out, "/spec/imagePullPolicy"), R"("Always")");
  EXPECT_EQ(At(out, "/spec/database"), R"({"external":{"secret":"db"}})");
  EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/storageSize"), R"("50Gi")");
  EXPECT_EQ(At(out, "/spec/fileStore/external"), R"({"bucket":"b"})");
}

TEST(DefaultsTest, UnknownFieldsAndMetadataArePreserved) {
  rapidjson::Document out = Defaults("  ingressName: h\n  futureField:\n    a: [1, 2]\n");
  EXPECT_EQ(At(out, "/spec/futureField"), R"({"a":[1,2]})");
  EXPECT_EQ(At(out, "/metadata/uid"), R"("uid-1")");
}

TEST(DefaultsTest, OperatorErrors) {
  struct Case {
    const char* spec;
    const char* error;
  };
  const Case kCases[] = {
      {"", "ingress.host required, but not set"},
      {"  ingress:\n    enabled: true\n", "ingress.host required, but not set"},
      {"  awsLoadBalancerController:\n    enabled: true\n",
       "awsLoadBalancerController.hosts is required, but not set"},
      {"  ingressName: h\n  volumes:\n  - name: host\n    hostPath:\n      path: /\n",
       "volume \"host\" uses an unsupported volume source; allowed types: ConfigMap, Secret, "
       "EmptyDir, PersistentVolumeClaim, Projected, DownwardAPI, CSI"},
  };
  for (const Case& c : kCases) {
    auto out = DefaultMattermost(MattermostWithSpec(c.spec));
    ASSERT_FALSE(out.ok()) << c.spec;
    EXPECT_EQ(out.error().message(), c.error);
  }
  // Ingress disabled and ALB with hosts need no host.
  EXPECT_TRUE(DefaultMattermost(MattermostWithSpec("  ingress:\n    enabled: false\n")).ok());
  EXPECT_TRUE(DefaultMattermost(MattermostWithSpec("  awsLoadBalancerController:\n    enabled: "
                                                   "true\n    hosts:\n    - hostName: a\n"))
                  .ok());
}

}  // namespace
}  // namespace mm
