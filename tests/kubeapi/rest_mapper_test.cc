#include "kubeapi/rest_mapper.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/json.h"
#include "kubeapi/discovery_cache.h"
#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/temp_dir.h"

namespace mm::kubeapi {
namespace {

using testing::RecordingTransport;
using testing::Respond;
using testing::TempDir;

constexpr char kAggregatedType[] =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

constexpr char kAggregatedCore[] =
    R"({"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","items":[)"
    R"({"metadata":{"name":""},"versions":[{"version":"v1","resources":[)"
    R"({"resource":"pods","responseKind":{"group":"","version":"v1","kind":"Pod"},)"
    R"("scope":"Namespaced","singularResource":"pod","shortNames":["po"],"verbs":["get"]}]}]}]})";

// The Mattermost group with the CRD's names, and (when `with_restore`) a second kind.
std::string AggregatedGroups(bool with_restore = false) {
  std::string restore = with_restore
                            ? R"(,{"resource":"mattermostrestoredbs","responseKind":{"group":)"
                              R"("installation.mattermost.com","version":"v1beta1","kind":)"
                              R"("MattermostRestoreDB"},"scope":"Namespaced","singularResource":)"
                              R"("mattermostrestoredb","verbs":["get"]})"
                            : "";
  return R"({"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","items":[)"
         R"({"metadata":{"name":"installation.mattermost.com"},"versions":[{"version":"v1beta1",)"
         R"("resources":[{"resource":"mattermosts","responseKind":{"group":)"
         R"("installation.mattermost.com","version":"v1beta1","kind":"Mattermost"},)"
         R"("scope":"Namespaced","singularResource":"mattermost","shortNames":["mm"],)"
         R"("verbs":["get","list"],"subresources":[{"subresource":"status","responseKind":)"
         R"({"group":"installation.mattermost.com","version":"v1beta1","kind":"Mattermost"},)"
         R"("verbs":["get","patch"]}]})" +
         restore + "]}]}]}";
}

const ResourceMapping kMattermosts{"installation.mattermost.com", "v1beta1", "mattermosts",
                                   "Mattermost", true};

// A fake API server serving aggregated discovery; counts requests per path.
struct AggregatedServer {
  bool with_restore = false;
  RecordingTransport fake;
  AggregatedServer() {
    fake.handler = [this](const HttpRequest& request) {
      if (request.url == "https://k/api") {
        return Respond(200, kAggregatedCore, {{"content-type", kAggregatedType}});
      }
      if (request.url == "https://k/apis") {
        return Respond(200, AggregatedGroups(with_restore), {{"content-type", kAggregatedType}});
      }
      return Respond(404, "404 page not found");
    };
  }
};

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

TEST(RestMapperTest, AggregatedDiscoveryAnswersEveryLookupWithTwoRequests) {
  AggregatedServer server;
  RestClient client(server.fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  auto object =
      ParseJson(R"({"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost"})");
  ASSERT_TRUE(object.ok());
  auto mapping = mapper.MappingFor(*object);
  ASSERT_TRUE(mapping.ok()) << mapping.error().message();
  EXPECT_EQ(*mapping, kMattermosts);
  for (const char* name : {"mattermosts", "mattermost", "mm", "Mattermost", "MM",
                           "mattermosts.installation.mattermost.com",
                           "mattermosts.v1beta1.installation.mattermost.com"}) {
    SCOPED_TRACE(name);
    auto found = mapper.ResourceFor(name);
    ASSERT_TRUE(found.ok()) << found.error().message();
    EXPECT_EQ(*found, kMattermosts);
  }
  auto pods = mapper.ResourceFor("po");
  ASSERT_TRUE(pods.ok());
  EXPECT_EQ(*pods, (ResourceMapping{"", "v1", "pods", "Pod", true}));
  ASSERT_EQ(server.fake.requests.size(), 2u);
  EXPECT_EQ(server.fake.requests[0].url, "https://k/api");
  EXPECT_EQ(server.fake.requests[1].url, "https://k/apis");
  EXPECT_EQ(server.fake.requests[1].Header("Accept"),
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
            "application/json");
}

TEST(RestMapperTest, LegacyDocumentsAreFollowedWhenTheServerIsNotAggregated) {
  RecordingTransport fake;
  const std::map<std::string, HttpResponse> answers = {
      {"https://k/api", Respond(200, R"({"kind":"APIVersions","versions":["v1"]})",
                                {{"content-type", "application/json"}})},
      {"https://k/apis",
       Respond(200,
               R"({"kind":"APIGroupList","groups":[{"name":"installation.mattermost.com",)"
               R"("versions":[{"groupVersion":"installation.mattermost.com/v1alpha1","version":)"
               R"("v1alpha1"},{"groupVersion":"installation.mattermost.com/v1beta1","version":)"
               R"("v1beta1"}],"preferredVersion":{"version":"v1beta1"}}]})",
               {{"content-type", "application/json"}})},
      {"https://k/api/v1",
       Respond(200, R"({"kind":"APIResourceList","resources":[{"name":"pods","kind":"Pod",)"
                    R"("namespaced":true,"singularName":"pod","shortNames":["po"]}]})")},
      {"https://k/apis/installation.mattermost.com/v1beta1",
       Respond(200, R"({"kind":"APIResourceList","resources":[{"name":"mattermosts",)"
                    R"("singularName":"mattermost","namespaced":true,"kind":"Mattermost",)"
                    R"("shortNames":["mm"]},{"name":"mattermosts/status","namespaced":true,)"
                    R"("kind":"Mattermost"}]})")},
  };
  fake.handler = [&](const HttpRequest& request) {
    auto answer = answers.find(request.url);
    if (answer != answers.end()) return answer->second;
    return Respond(503, R"({"kind":"Status","code":503,"message":"service unavailable"})");
  };
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  auto found = mapper.ResourceFor("mm");
  ASSERT_TRUE(found.ok()) << found.error().message();
  EXPECT_EQ(*found, kMattermosts);
  std::vector<std::string> urls;
  for (const HttpRequest& request : fake.requests) urls.push_back(request.url);
  // The preferred version first; an unavailable group version is skipped, not fatal.
  EXPECT_EQ(urls,
            (std::vector<std::string>{"https://k/api", "https://k/api/v1", "https://k/apis",
                                      "https://k/apis/installation.mattermost.com/v1beta1",
                                      "https://k/apis/installation.mattermost.com/v1alpha1"}));
  EXPECT_EQ(fake.requests[1].Header("Accept"), "application/json");
}

TEST(RestMapperTest, MissesRediscoverOnceUnlessJustDiscovered) {
  AggregatedServer server;
  RestClient client(server.fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  // Discovered by this very call: a miss is final, no second round.
  auto unknown = mapper.Mapping("example.com/v1", "Thing");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind(), ErrorKind::kInvalid);
  EXPECT_EQ(unknown.error().message(),
            "no matches for kind \"Thing\" in version \"example.com/v1\"");
  EXPECT_EQ(server.fake.requests.size(), 2u);
  // Later, a kind missing from the snapshot in memory re-discovers: a CRD may have been created.
  server.with_restore = true;
  auto restore = mapper.Mapping("installation.mattermost.com/v1beta1", "MattermostRestoreDB");
  ASSERT_TRUE(restore.ok()) << restore.error().message();
  EXPECT_EQ(restore->resource, "mattermostrestoredbs");
  EXPECT_EQ(server.fake.requests.size(), 4u);
  auto missing = mapper.ResourceFor("nothings");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "the server doesn't have a resource type \"nothings\"");
  EXPECT_EQ(server.fake.requests.size(), 6u);
}

TEST(RestMapperTest, DiscoveryErrorsAreReturned) {
  RecordingTransport fake;
  fake.responses = {Respond(404, "404 page not found"), Respond(403, "forbidden")};
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(client);
  auto mapping = mapper.Mapping("installation.mattermost.com/v1beta1", "Mattermost");
  ASSERT_FALSE(mapping.ok());  // 404 on /api is tolerated, 403 on /apis is not
  EXPECT_TRUE(IsForbidden(mapping.error())) << mapping.error().message();
}

TEST(RestMapperTest, DiskCacheIsSharedAcrossMappersAndRefreshedOnAMiss) {
  TempDir dir;
  const std::string cache = DiscoveryCacheDir(dir.path(), "https://k");
  AggregatedServer first;
  RestClient first_client(first.fake, "https://k", std::chrono::milliseconds(0));
  ASSERT_TRUE(RestMapper(first_client, cache).ResourceFor("mm").ok());
  EXPECT_EQ(first.fake.requests.size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(cache + "/servergroups.json"));
  EXPECT_TRUE(std::filesystem::exists(cache + "/v1/serverresources.json"));
  EXPECT_TRUE(
      std::filesystem::exists(cache + "/installation.mattermost.com/v1beta1/serverresources.json"));

  // A second process: everything from disk, no request at all.
  AggregatedServer second;
  second.with_restore = true;
  RestClient second_client(second.fake, "https://k", std::chrono::milliseconds(0));
  RestMapper mapper(second_client, cache);
  auto cached = mapper.Mapping("installation.mattermost.com/v1beta1", "Mattermost");
  ASSERT_TRUE(cached.ok()) << cached.error().message();
  EXPECT_EQ(*cached, kMattermosts);
  ASSERT_TRUE(mapper.ResourceFor("pod").ok());
  EXPECT_EQ(second.fake.requests.size(), 0u);
  // A kind the cache does not know yet: the cache is refetched and rewritten.
  ASSERT_TRUE(mapper.Mapping("installation.mattermost.com/v1beta1", "MattermostRestoreDB").ok());
  EXPECT_EQ(second.fake.requests.size(), 2u);
  AggregatedServer third;
  RestClient third_client(third.fake, "https://k", std::chrono::milliseconds(0));
  ASSERT_TRUE(RestMapper(third_client, cache).ResourceFor("mattermostrestoredb").ok());
  EXPECT_EQ(third.fake.requests.size(), 0u);

  // Files older than kubectl's 6 hours are not trusted.
  auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(7);
  std::filesystem::last_write_time(cache + "/servergroups.json", old);
  AggregatedServer fourth;
  RestClient fourth_client(fourth.fake, "https://k", std::chrono::milliseconds(0));
  ASSERT_TRUE(RestMapper(fourth_client, cache).ResourceFor("mm").ok());
  EXPECT_EQ(fourth.fake.requests.size(), 2u);
}

TEST(RestMapperTest, CorruptCacheFilesAreIgnored) {
  TempDir dir;
  const std::string cache = DiscoveryCacheDir(dir.path(), "https://k");
  dir.Write(
      "discovery/k/servergroups.json",
      R"({"kind":"APIGroupList","groups":[{"name":"../../etc","versions":[{"version":"v1"}]}]})");
  AggregatedServer server;
  RestClient client(server.fake, "https://k", std::chrono::milliseconds(0));
  ASSERT_TRUE(RestMapper(client, cache).ResourceFor("mm").ok());
  EXPECT_EQ(server.fake.requests.size(), 2u);
  dir.Write("discovery/k/installation.mattermost.com/v1beta1/serverresources.json", "{not json");
  AggregatedServer again;
  RestClient again_client(again.fake, "https://k", std::chrono::milliseconds(0));
  ASSERT_TRUE(RestMapper(again_client, cache).ResourceFor("mm").ok());
  EXPECT_EQ(again.fake.requests.size(), 2u);
}

}  // namespace
}  // namespace mm::kubeapi
