#include "core/mattermost/parse.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::MattermostWithSpec;
using testing::Yaml;

TEST(ParseMattermostTest, ReadsOptionalFieldsAsOptional) {
  Mattermost mattermost = MattermostWithSpec(
      "  replicas: 0\n  ingress:\n    enabled: true\n    host: a\n    ingressClass: \"\"\n"
      "  database:\n    operatorManaged:\n      replicas: 0\n");
  EXPECT_EQ(mattermost.spec.replicas, std::optional<int32_t>(0));
  ASSERT_TRUE(mattermost.spec.ingress.has_value());
  EXPECT_EQ(mattermost.spec.ingress->ingress_class, std::optional<std::string>(""));
  EXPECT_EQ(mattermost.spec.database.operator_managed->replicas, std::optional<int32_t>(0));
  EXPECT_FALSE(mattermost.spec.file_store.operator_managed.has_value());
  EXPECT_FALSE(MattermostWithSpec("").spec.replicas.has_value());
}

TEST(ParseMattermostTest, ReportsEveryTypeProblemWithItsPath) {
  auto mattermost = ParseMattermost(Yaml(R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: foo}
spec:
  replicas: "2"
  ingress: {enabled: yes, hosts: [{hostName: 1}]}
  resourceLabels: {a: 1}
  volumes: {}
)"));
  ASSERT_FALSE(mattermost.ok());
  EXPECT_EQ(mattermost.error().message(),
            "Mattermost \"foo\" is invalid:\n"
            "  - spec.replicas: expected integer, got string\n"
            "  - spec.resourceLabels.a: expected string, got integer\n"
            "  - spec.ingress.hosts[0].hostName: expected string, got integer\n"
            "  - spec.volumes: expected array, got object");
}

TEST(ParseMattermostTest, RejectsOtherKinds) {
  auto mattermost = ParseMattermost(Yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"));
  ASSERT_FALSE(mattermost.ok());
  EXPECT_EQ(mattermost.error().message(),
            "expected apiVersion installation.mattermost.com/v1beta1 kind Mattermost, got "
            "apiVersion \"v1\" kind \"Pod\"");
}

TEST(ValidateMattermostTest, PreciseMessages) {
  struct Case {
    const char* spec;
    std::vector<std::string> problems;
  };
  const Case kCases[] = {
      {"  ingressName: h\n", {}},
      {"  size: 50000users\n  ingressName: h\n",
       {"spec.size: unknown size \"50000users\"; known sizes: 100users, 1000users, 5000users, "
        "10000users, 25000users, cloud10users, cloud100users, miniSingleton, miniHA"}},
      {"",
       {"spec.ingressName: required when spec.ingress is not set (the Ingress is then "
        "enabled)"}},
      {"  ingress:\n    enabled: true\n",
       {"spec.ingress.host: required when ingress.enabled is true"}},
      {"  awsLoadBalancerController:\n    enabled: true\n",
       {"spec.awsLoadBalancerController.hosts: required when awsLoadBalancerController.enabled "
        "is true"}},
      {"  ingressName: h\n  volumes:\n  - name: ok\n    emptyDir: {}\n  - name: nfs\n    nfs: {}\n",
       {"spec.volumes[1]: volume \"nfs\" uses an unsupported volume source; allowed types: "
        "ConfigMap, Secret, EmptyDir, PersistentVolumeClaim, Projected, DownwardAPI, CSI"}},
      {"  ingressName: h\n  database:\n    readinessCheck:\n      mode: internal\n      timeout: "
       "5 minutes\n",
       {"spec.database.readinessCheck.mode: unsupported value \"internal\"; supported values: "
        "\"external\", \"builtin\"",
        "spec.database.readinessCheck.timeout: invalid duration \"5 minutes\" (e.g. 5m, 90s, 1h)"}},
      {"  ingressName: h\n  fileStore:\n    local:\n      enabled: true\n      storageSize: lots\n",
       {"spec.fileStore.local.storageSize: invalid quantity \"lots\""}},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ValidateMattermost(MattermostWithSpec(c.spec)), c.problems) << c.spec;
  }
}

}  // namespace
}  // namespace mm
