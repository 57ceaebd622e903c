// Our equivalents of the operator's config/samples/ and the docs/examples/ not covered by the
// golden fixtures, rendered offline; expectations from operator.md §2-§3.
#include <gtest/gtest.h>

#include "core/mattermost/cluster_installation.h"
#include "core/mattermost/render.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::Yaml;

struct Example {
  const char* name;
  const char* resource;
  const char* objects;                                  // kind/name of every rendered object
  std::vector<std::pair<std::string, std::string>> at;  // (object index + pointer, JSON)
};

TEST(ExamplesTest, RenderedLikeTheOperator) {
  const Example kExamples[] = {
      {"config/samples v1beta1",
       "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
       "metadata: {name: example-mattermost}\nspec: {ingressName: "
       "example.mattermost-example.dev}\n",
       "Mattermost/example-mattermost MysqlCluster/db-274727 "
       "MinIOInstance/example-mattermost-minio "
       "Service/example-mattermost ServiceAccount/example-mattermost Role/example-mattermost "
       "RoleBinding/example-mattermost Ingress/example-mattermost Deployment/example-mattermost ",
       {{"7/spec/rules/0/host", R"("example.mattermost-example.dev")"},
        {"7/metadata/annotations/kubernetes.io~1ingress.class", R"("nginx")"},
        {"8/metadata/namespace", R"("default")"}}},
      {"mattermost_simple_aws_azure",
       "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
       "metadata: {name: mm-example-aws-azure}\n"
       "spec: {ingress: {enabled: false}, useServiceLoadBalancer: true}\n",
       "Mattermost/mm-example-aws-azure MysqlCluster/db-f13932 "
       "MinIOInstance/mm-example-aws-azure-minio "
       "Service/mm-example-aws-azure ServiceAccount/mm-example-aws-azure Role/mm-example-aws-azure "
       "RoleBinding/mm-example-aws-azure Deployment/mm-example-aws-azure ",
       {{"3/spec/type", R"("LoadBalancer")"},
        // No host: no SITEURL, so MM_FILESETTINGS_MAXFILESIZE directly follows MM_INSTALL_TYPE.
        {"7/spec/template/spec/containers/0/env/16",
         R"({"name":"MM_FILESETTINGS_MAXFILESIZE","value":"1048576000"})"}}},
      {"mattermost_mysql_minio_operators_small",
       "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
       "metadata: {name: mm-example-operators}\n"
       "spec:\n  ingress: {enabled: true, host: example.mattermost-example.com}\n"
       "  database: {operatorManaged: {replicas: 2, resources: {requests: {cpu: 250m, memory: "
       "512Mi}}, storageSize: 50Gi, type: mysql}}\n"
       "  fileStore: {operatorManaged: {replicas: 4, resources: {requests: {cpu: 150m, memory: "
       "512Mi}}, storageSize: 50Gi}}\n",
       "Mattermost/mm-example-operators MysqlCluster/db-13644b "
       "MinIOInstance/mm-example-operators-minio "
       "Service/mm-example-operators ServiceAccount/mm-example-operators Role/mm-example-operators "
       "RoleBinding/mm-example-operators Ingress/mm-example-operators "
       "Deployment/mm-example-operators ",
       {{"0/spec/database/operatorManaged/replicas", "2"},
        {"0/spec/database/operatorManaged/resources",
         R"({"requests":{"cpu":"250m","memory":"512Mi"}})"},
        {"0/spec/database/operatorManaged/version", R"("8.0")"},
        {"0/spec/replicas", "2"},
        {"1/spec/replicas", "2"},
        {"2/spec/replicas", "4"},
        {"8/spec/template/spec/containers/0/resources",
         R"({"limits":{"cpu":"4","memory":"8Gi"},"requests":{"cpu":"500m","memory":"500Mi"}})"}}},
  };
  for (const Example& example : kExamples) {
    auto objects = RenderMattermost(Yaml(example.resource), {}, "default");
    ASSERT_TRUE(objects.ok()) << example.name << ": " << objects.error().message();
    EXPECT_EQ(testing::ObjectNames(*objects), example.objects) << example.name;
    testing::ExpectAtEach(*objects, example.at, example.name);
  }
}

TEST(ExamplesTest, V1alpha1Samples) {
  auto ci = DefaultClusterInstallation(
      Yaml("apiVersion: mattermost.com/v1alpha1\nkind: ClusterInstallation\n"
           "metadata: {name: example-clusterinstallation}\n"
           "spec: {ingressName: example.mattermost-example.dev}\n"));
  ASSERT_TRUE(ci.ok()) << ci.error().message();
  EXPECT_EQ(At(*ci, "/spec/replicas"), "2");
  EXPECT_EQ(At(*ci, "/spec/database/replicas"), "3");
  EXPECT_EQ(At(*ci, "/spec/minio/replicas"), "4");
  auto restore = ParseMattermostRestoreDb(
      Yaml("apiVersion: mattermost.com/v1alpha1\nkind: MattermostRestoreDB\n"
           "metadata: {name: example-mattermostrestoredb}\n"
           "spec: {initBucketURL: 's3://my-sample/my-backup.gz', mattermostClusterName: "
           "myMMClusterInstallation, mattermostDBName: mattermostdb, mattermostDBPassword: "
           "supersecure, mattermostDBUser: mmuser, restoreSecret: myawscreds}\n"));
  ASSERT_TRUE(restore.ok());
  EXPECT_EQ(restore->mattermost_cluster_name, "myMMClusterInstallation");
  EXPECT_EQ(restore->restore_secret, "myawscreds");
}

}  // namespace
}  // namespace mm
