#include "kubeapi/rest_mapper.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::RecordingTransport;
using testing::Respond;

constexpr char kInstallationGroup[] =
    R"({"kind":"APIResourceList","groupVersion":"installation.mattermost.com/v1beta1","resources":[)"
    R"({"name":"mattermosts","singularName":"mattermost","namespaced":true,"kind":"Mattermost"},)"
    R"({"name":"mattermosts/status","singularName":"","namespaced":true,"kind":"Mattermost"}]})";

TEST(RestMapperTest, BuiltinsNeedNoRequest) {
  RecordingTransport fake;
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  struct Case {
    std::string api_version;
    std::string kind;
    ResourceMapping expected;
  };
  const Case cases[] = {
      {"v1", "Pod", {"", "v1", "pods", "Pod", true}},
      {"v1", "Namespace", {"", "v1", "namespaces", "Namespace", false}},
      {"apps/v1", "Deployment", {"apps", "v1", "deployments", "Deployment", true}},
      {"apiextensions.k8s.io/v1",
       "CustomResourceDefinition",
       {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
        false}},
      {"rbac.authorization.k8s.io/v1",
       "ClusterRoleBinding",
       {"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false}},
  };
  for (const Case& c : cases) {
    auto mapping = mapper.Mapping(c.api_version, c.kind);
    ASSERT_TRUE(mapping.ok()) << c.kind;
    EXPECT_EQ(*mapping, c.expected);
  }
  EXPECT_TRUE(fake.requests.empty());
}

TEST(RestMapperTest, CustomResourcesAreDiscoveredOncePerGroupVersion) {
  RecordingTransport fake;
  fake.responses = {Respond(200, kInstallationGroup)};
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  const ResourceMapping expected{"installation.mattermost.com", "v1beta1", "mattermosts",
                                 "Mattermost", true};
  auto object =
      ParseJson(R"({"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost"})");
  ASSERT_TRUE(object.ok());
  for (int i = 0; i < 2; ++i) {
    auto mapping = mapper.MappingFor(*object);
    ASSERT_TRUE(mapping.ok()) << mapping.error().message();
    EXPECT_EQ(*mapping, expected);
  }
  ASSERT_EQ(fake.requests.size(), 1u);
  EXPECT_EQ(fake.requests[0].url, "https://k/apis/installation.mattermost.com/v1beta1");
}

TEST(RestMapperTest, UnknownKindsRediscoverOnceThenFail) {
  RecordingTransport fake;
  fake.responses = {Respond(200, kInstallationGroup), Respond(200, kInstallationGroup),
                    Respond(404, "404 page not found")};
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  ASSERT_TRUE(mapper.Mapping("installation.mattermost.com/v1beta1", "Mattermost").ok());
  auto missing = mapper.Mapping("installation.mattermost.com/v1beta1", "ClusterInstallation");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "no matches for kind \"ClusterInstallation\" in version "
            "\"installation.mattermost.com/v1beta1\"");
  EXPECT_EQ(fake.requests.size(), 2u);  // the cached document was re-fetched once
  auto no_group = mapper.Mapping("example.com/v1", "Thing");
  ASSERT_FALSE(no_group.ok());
  EXPECT_EQ(no_group.error().kind(), ErrorKind::kInvalid);
  EXPECT_EQ(no_group.error().message(),
            "no matches for kind \"Thing\" in version \"example.com/v1\"");
}

}  // namespace
}  // namespace mm::kubeapi
