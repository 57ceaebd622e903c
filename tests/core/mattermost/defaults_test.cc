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

// operator.md §2.2: every size of the table, canonical quantities.
TEST(DefaultsTest, EverySizeSetsReplicasAndResources) {
  struct Case {
    const char* size;
    const char* app;        // replicas
    const char* resources;  // scheduling.resources
    const char* minio;      // fileStore.operatorManaged replicas / resources
    const char* minio_resources;
    const char* db;
    const char* db_resources;
  };
  const Case kCases[] = {
      {"100users", "1",
       R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"100m","memory":"256Mi"}})", "1",
       R"({"requests":{"cpu":"100m","memory":"256Mi"}})", "1",
       R"({"requests":{"cpu":"200m","memory":"512Mi"}})"},
      {"1000users", "2",
       R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"150m","memory":"256Mi"}})", "4",
       R"({"requests":{"cpu":"150m","memory":"512Mi"}})", "2",
       R"({"requests":{"cpu":"250m","memory":"512Mi"}})"},
      {"5000users", "2",
       R"({"limits":{"cpu":"4","memory":"8Gi"},"requests":{"cpu":"500m","memory":"500Mi"}})", "4",
       R"({"requests":{"cpu":"200m","memory":"500Mi"}})", "3",
       R"({"requests":{"cpu":"500m","memory":"500Mi"}})"},
      {"10000users", "2",
       R"({"limits":{"cpu":"4","memory":"8Gi"},"requests":{"cpu":"500m","memory":"500Mi"}})", "4",
       R"({"requests":{"cpu":"200m","memory":"500Mi"}})", "3",
       R"({"requests":{"cpu":"500m","memory":"500Mi"}})"},
      {"25000users", "2",
       R"({"limits":{"cpu":"4","memory":"16Gi"},"requests":{"cpu":"1","memory":"4Gi"}})", "4",
       R"({"requests":{"cpu":"300m","memory":"500Mi"}})", "3",
       R"({"requests":{"cpu":"500m","memory":"1Gi"}})"},
      {"cloud10users", "2",
       R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"10m","memory":"150Mi"}})", "4",
       R"({"requests":{"cpu":"100m","memory":"256Mi"}})", "2",
       R"({"requests":{"cpu":"200m","memory":"512Mi"}})"},
      {"cloud100users", "2",
       R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"50m","memory":"256Mi"}})", "4",
       R"({"requests":{"cpu":"100m","memory":"256Mi"}})", "2",
       R"({"requests":{"cpu":"200m","memory":"512Mi"}})"},
      {"miniSingleton", "1",
       R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"10m","memory":"150Mi"}})", "1",
       R"({"requests":{"cpu":"100m","memory":"256Mi"}})", "1",
       R"({"requests":{"cpu":"200m","memory":"512Mi"}})"},
      {"miniHA", "2",
       R"({"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"10m","memory":"150Mi"}})", "4",
       R"({"requests":{"cpu":"100m","memory":"256Mi"}})", "2",
       R"({"requests":{"cpu":"200m","memory":"512Mi"}})"},
  };
  for (const Case& c : kCases) {
    // A known size overwrites what the user set.
    rapidjson::Document out = Defaults(std::string("  size: ") + c.size +
                                       "\n  ingressName: h\n  replicas: 7\n"
                                       "  database:\n    operatorManaged:\n      replicas: 9\n");
    EXPECT_EQ(At(out, "/spec/size"), "<absent>") << c.size;
    EXPECT_EQ(At(out, "/spec/replicas"), c.app) << c.size;
    EXPECT_EQ(At(out, "/spec/scheduling/resources"), c.resources) << c.size;
    EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/replicas"), c.minio) << c.size;
    EXPECT_EQ(At(out, "/spec/fileStore/operatorManaged/resources"), c.minio_resources) << c.size;
    EXPECT_EQ(At(out, "/spec/database/operatorManaged/replicas"), c.db) << c.size;
    EXPECT_EQ(At(out, "/spec/database/operatorManaged/resources"), c.db_resources) << c.size;
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
