#include "kubeapi/discovery_documents.h"

#include <gtest/gtest.h>

#include "kubeapi/discovery_cache.h"

namespace mm::kubeapi {
namespace {

TEST(DiscoveryDocumentsTest, AggregatedIsDecidedByTheContentType) {
  struct Case {
    std::string content_type;
    bool aggregated;
  };
  const Case cases[] = {
      {"application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", true},
      {"application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", true},
      {"application/json; as=APIGroupDiscoveryList; charset=utf-8;v=v2 ;g=apidiscovery.k8s.io",
       true},
      {"application/json", false},
      {"application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", false},
      {"application/json;g=apidiscovery.k8s.io;v=v2", false},
      {"application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", false},
      {"", false},
      {";;;=", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsAggregatedDiscovery(c.content_type), c.aggregated) << c.content_type;
  }
}

TEST(DiscoveryDocumentsTest, AggregatedResourcesAndSubresources) {
  auto parsed = ParseAggregatedDiscovery(
      R"({"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":"apps"},"versions":[)"
      R"({"version":"v1","resources":[{"resource":"deployments","responseKind":{"group":"apps",)"
      R"("version":"v1","kind":"Deployment"},"scope":"Namespaced","singularResource":)"
      R"("deployment","verbs":["get"],"shortNames":["deploy"],"categories":["all"],)"
      R"("subresources":[{"subresource":"scale","responseKind":{"group":"autoscaling",)"
      R"("version":"v1","kind":"Scale"},"verbs":["get"]},{"subresource":"status",)"
      R"("responseKind":{"group":"apps","version":"v1","kind":"Deployment"}}]}]}]}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  ASSERT_EQ(parsed->size(), 1u);
  const DiscoveredGroupVersion& apps = (*parsed)[0];
  EXPECT_EQ(apps.GroupVersion(), "apps/v1");
  ASSERT_EQ(apps.resources.size(), 1u);
  const DiscoveredResource expected{
      {"apps", "v1", "deployments", "Deployment", true},
      "deployment",
      {"deploy"},
      {"get"},
      {"all"},
      {{"scale", "autoscaling", "v1", "Scale", {"get"}}, {"status", "apps", "", "Deployment", {}}}};
  EXPECT_EQ(apps.resources[0], expected);

  // kubectl's cache keeps the legacy shape; reading it back gives the same resources.
  DiscoveredGroupVersion reread{"apps", "v1", {}};
  ASSERT_TRUE(ParseResourceList(ResourceListJson(apps), reread).ok());
  EXPECT_EQ(reread, apps);
  DiscoverySnapshot snapshot{{{"", "v1", {}}, apps, {"apps", "v2", {}}}};
  auto groups = ParseLegacyGroups(GroupListJson(snapshot), false);
  ASSERT_TRUE(groups.ok());
  std::vector<std::string> versions;
  for (const auto& group_version : *groups) versions.push_back(group_version.GroupVersion());
  EXPECT_EQ(versions, (std::vector<std::string>{"v1", "apps/v1", "apps/v2"}));
}

TEST(DiscoveryDocumentsTest, MalformedDocumentsAreErrors) {
  EXPECT_FALSE(ParseAggregatedDiscovery("[]").ok());
  EXPECT_FALSE(ParseAggregatedDiscovery(R"({"kind":"APIGroupList"})").ok());
  EXPECT_FALSE(ParseLegacyGroups("{", true).ok());
  DiscoveredGroupVersion group_version{"", "v1", {}};
  EXPECT_FALSE(ParseResourceList("null", group_version).ok());
  // Wrong types inside are skipped, not trusted.
  ASSERT_TRUE(ParseResourceList(R"({"resources":[1,{"name":7},{"name":"x/y"},{"name":"pods"}]})",
                                group_version)
                  .ok());
  ASSERT_EQ(group_version.resources.size(), 1u);
  EXPECT_EQ(group_version.resources[0].mapping.resource, "pods");
}

TEST(DiscoveryCacheDirTest, NamedAsKubectlNamesIt) {
  EXPECT_EQ(DiscoveryCacheDir("/home/u/.kube/cache", "https://127.0.0.1:6443"),
            "/home/u/.kube/cache/discovery/127.0.0.1_6443");
  EXPECT_EQ(DiscoveryCacheDir("/c", "http://example.com:8080/k8s/clusters/c-1"),
            "/c/discovery/example.com_8080/k8s/clusters/c_1");
  EXPECT_EQ(DiscoveryCacheDir("/c", "https://[::1]:6443"), "/c/discovery/___1__6443");
}

}  // namespace
}  // namespace mm::kubeapi
