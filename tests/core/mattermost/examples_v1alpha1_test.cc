// Our equivalents of the operator's v1alpha1 docs/examples (full.yaml, simple_anywhere.yaml,
// simple_aws_azure.yaml): each ClusterInstallation is defaulted as the v1alpha1 controller does
// (operator.md §2.4, §2.2), converted to the Mattermost the migration creates (§7), and that is
// rendered (§3). Expectations written from the specification.
#include <gtest/gtest.h>

#include "core/mattermost/cluster_installation.h"
#include "core/mattermost/conversion.h"
#include "core/mattermost/render.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::Yaml;

struct V1alpha1Example {
  const char* name;
  const char* resource;
  std::vector<std::pair<std::string, std::string>> defaulted;  // pointer -> JSON
  std::vector<std::pair<std::string, std::string>> converted;
  const char* objects;                                        // kind/name of every rendered object
  std::vector<std::pair<std::string, std::string>> rendered;  // (index + pointer, JSON)
};

// The 5000users row of the size table (§2.2), the default, in Go's canonical quantities.
constexpr char kAppResources[] =
    R"({"limits":{"cpu":"4","memory":"8Gi"},"requests":{"cpu":"500m","memory":"500Mi"}})";
constexpr char kStoreResources[] = R"({"requests":{"cpu":"200m","memory":"500Mi"}})";
constexpr char kDbResources[] = R"({"requests":{"cpu":"500m","memory":"500Mi"}})";

TEST(ExamplesV1alpha1Test, DefaultedConvertedAndRendered) {
  const V1alpha1Example kExamples[] = {
      {"docs/examples/full.yaml",
       "apiVersion: mattermost.com/v1alpha1\nkind: ClusterInstallation\n"
       "metadata: {name: mm-example-full}\n"
       "spec:\n  image: mattermost/mattermost-enterprise-edition\n  version: 5.19.1\n"
       "  size: 5000users\n  useServiceLoadBalancer: true\n  serviceAnnotations: {}\n"
       "  ingressName: example.mattermost-example.com\n"
       // QUIRK (§11): externalSecret is not a field of the CRD; it is ignored.
       "  database: {type: mysql, externalSecret: '', storageSize: 50Gi}\n"
       "  minio: {storageSize: 50Gi}\n"
       "  elasticSearch: {host: '', username: '', password: ''}\n"
       "  nodeSelector: {}\n  affinity: {}\n",
       {{"/spec/size", "<absent>"},
        {"/spec/replicas", "2"},
        {"/spec/resources", kAppResources},
        {"/spec/minio/replicas", "4"},
        {"/spec/minio/resources", kStoreResources},
        {"/spec/database/replicas", "3"},
        {"/spec/database/resources", kDbResources},
        {"/spec/database/version", R"("8.0")"},
        {"/spec/imagePullPolicy", R"("IfNotPresent")"},
        {"/spec/version", R"("5.19.1")"}},
       {{"/apiVersion", R"("installation.mattermost.com/v1beta1")"},
        {"/kind", R"("Mattermost")"},
        {"/spec/useServiceLoadBalancer", "true"},
        {"/spec/ingressName", R"("example.mattermost-example.com")"},
        {"/spec/replicas", "2"},
        {"/spec/scheduling/resources", kAppResources},
        {"/spec/database/operatorManaged/type", R"("mysql")"},
        {"/spec/database/operatorManaged/replicas", "3"},
        {"/spec/database/operatorManaged/storageSize", R"("50Gi")"},
        {"/spec/database/external", "<absent>"},
        {"/spec/fileStore/operatorManaged/replicas", "4"},
        {"/spec/fileStore/operatorManaged/storageSize", R"("50Gi")"},
        {"/spec/fileStore/external", "<absent>"}},
       "Mattermost/mm-example-full MysqlCluster/db-4a697c MinIOInstance/mm-example-full-minio "
       "Service/mm-example-full ServiceAccount/mm-example-full Role/mm-example-full "
       "RoleBinding/mm-example-full Deployment/mm-example-full ",
       {{"1/spec/replicas", "3"},
        {"1/spec/mysqlVersion", R"("8.0")"},
        {"2/spec/replicas", "4"},
        {"3/spec/type", R"("LoadBalancer")"},
        {"3/spec/ports/0", R"({"name":"http","appProtocol":"http","port":80,"targetPort":"app"})"},
        {"7/spec/replicas", "2"},
        {"7/spec/template/spec/containers/0/image",
         R"("mattermost/mattermost-enterprise-edition:5.19.1")"},
        // A host string exists: the site URL is set even behind a LoadBalancer (§3.1.1 D.7);
        // A (4 MySQL vars) + B (6 MinIO vars) + D.1-6 come first, no Elasticsearch.
        {"7/spec/template/spec/containers/0/env/16",
         R"({"name":"MM_SERVICESETTINGS_SITEURL","value":"https://example.mattermost-example.com"})"},
        {"7/spec/template/spec/containers/0/resources", kAppResources}}},
      {"docs/examples/simple_anywhere.yaml",
       "apiVersion: mattermost.com/v1alpha1\nkind: ClusterInstallation\n"
       "metadata: {name: mm-example-anywhere}\nspec: {ingressName: mattermost.example.com}\n",
       {{"/spec/image", R"("mattermost/mattermost-enterprise-edition")"},
        {"/spec/version", R"("10.8.1")"},
        {"/spec/replicas", "2"},
        {"/spec/minio/storageSize", R"("50Gi")"},
        {"/spec/database/type", R"("mysql")"},
        {"/spec/database/storageSize", R"("50Gi")"}},
       {{"/spec/ingressName", R"("mattermost.example.com")"},
        {"/spec/useServiceLoadBalancer", "<absent>"},
        {"/spec/ingress", "<absent>"}},
       "Mattermost/mm-example-anywhere MysqlCluster/db-7dfb5e "
       "MinIOInstance/mm-example-anywhere-minio Service/mm-example-anywhere "
       "ServiceAccount/mm-example-anywhere Role/mm-example-anywhere "
       "RoleBinding/mm-example-anywhere Ingress/mm-example-anywhere "
       "Deployment/mm-example-anywhere ",
       {{"3/spec/clusterIP", R"("None")"},
        {"7/spec/rules/0/host", R"("mattermost.example.com")"},
        {"7/metadata/annotations",
         R"({"kubernetes.io/ingress.class":"nginx","nginx.ingress.kubernetes.io/proxy-body-size":"1000M"})"},
        {"7/spec/tls", "<absent>"},
        {"7/spec/ingressClassName", "<absent>"},
        {"8/spec/template/spec/containers/0/image",
         R"("mattermost/mattermost-enterprise-edition:10.8.1")"}}},
      {"docs/examples/simple_aws_azure.yaml",
       "apiVersion: mattermost.com/v1alpha1\nkind: ClusterInstallation\n"
       "metadata: {name: mm-example-aws-azure}\n"
       "spec: {ingressName: example.dev.cloud.mattermost.com, useServiceLoadBalancer: true}\n",
       {{"/spec/replicas", "2"}, {"/spec/useServiceLoadBalancer", "true"}},
       {{"/spec/useServiceLoadBalancer", "true"}},
       "Mattermost/mm-example-aws-azure MysqlCluster/db-f13932 "
       "MinIOInstance/mm-example-aws-azure-minio Service/mm-example-aws-azure "
       "ServiceAccount/mm-example-aws-azure Role/mm-example-aws-azure "
       "RoleBinding/mm-example-aws-azure Deployment/mm-example-aws-azure ",
       {{"3/spec/type", R"("LoadBalancer")"},
        {"3/spec/ports/1",
         R"({"name":"https","appProtocol":"https","port":443,"targetPort":"app"})"},
        {"7/spec/template/spec/containers/0/env/16",
         R"({"name":"MM_SERVICESETTINGS_SITEURL","value":"https://example.dev.cloud.mattermost.com"})"}}},
  };
  for (const V1alpha1Example& example : kExamples) {
    auto ci = DefaultClusterInstallation(Yaml(example.resource));
    ASSERT_TRUE(ci.ok()) << example.name << ": " << ci.error().message();
    for (const auto& [pointer, json] : example.defaulted) {
      EXPECT_EQ(At(*ci, pointer), json) << example.name << " defaulted " << pointer;
    }
    auto converted = ConvertClusterInstallation(*ci, nullptr);
    ASSERT_TRUE(converted.ok()) << example.name << ": " << converted.error().message();
    for (const auto& [pointer, json] : example.converted) {
      EXPECT_EQ(At(*converted, pointer), json) << example.name << " converted " << pointer;
    }
    auto objects = RenderMattermost(std::move(*converted), {}, "default");
    ASSERT_TRUE(objects.ok()) << example.name << ": " << objects.error().message();
    EXPECT_EQ(testing::ObjectNames(*objects), example.objects) << example.name;
    testing::ExpectAtEach(*objects, example.rendered, example.name);
  }
}

}  // namespace
}  // namespace mm
