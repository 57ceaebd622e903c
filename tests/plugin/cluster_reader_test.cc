#include "plugin/engine/cluster_reader.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "kubeapi/rest_client.h"
#include "kubeapi/rest_mapper.h"
#include "tests/kubeapi/fakes.h"

namespace mm::engine {
namespace {

using kubeapi::testing::RecordingTransport;
using kubeapi::testing::Respond;

constexpr char kServer[] = "http://api.test";

std::string Names(const std::vector<SharedObject>& objects) {
  std::string names;
  for (const SharedObject& object : objects) {
    names += (names.empty() ? "" : ",") + GetString((*object)["metadata"], "namespace") + "/" +
             GetString((*object)["metadata"], "name");
  }
  return names;
}

class ClusterReaderTest : public ::testing::Test {
 protected:
  ClusterReaderTest() : rest_(transport_, kServer, std::chrono::milliseconds(0)) {}

  std::vector<std::string> Urls() const {
    std::vector<std::string> urls;
    for (const auto& request : transport_.requests) {
      urls.push_back(request.method + " " + request.url.substr(std::string(kServer).size()));
    }
    return urls;
  }

  RecordingTransport transport_;
  kubeapi::RestClient rest_;
  const kubeapi::ResourceMapping& services_ = *kubeapi::BuiltinMapping("v1", "Service");
  const kubeapi::ResourceMapping& classes_ =
      *kubeapi::BuiltinMapping("networking.k8s.io/v1", "IngressClass");
};

TEST_F(ClusterReaderTest, CachedReaderListsEachResourceOnceForEveryNamespace) {
  transport_.responses.push_back(Respond(200, R"({"kind":"ServiceList","metadata":{},"items":[
    {"metadata":{"name":"a","namespace":"n1","labels":{
      "installation.mattermost.com/installation":"a"}}},
    {"metadata":{"name":"a-extra","namespace":"n1","labels":{
      "installation.mattermost.com/installation":"a"}}},
    {"metadata":{"name":"a","namespace":"n2","labels":{
      "installation.mattermost.com/installation":"a"}}},
    {"metadata":{"name":"other","namespace":"n1"}}]})"));
  transport_.responses.push_back(Respond(
      200, R"({"kind":"IngressClassList","metadata":{},"items":[{"metadata":{"name":"nginx"}}]})"));
  ObjectCache cache;
  CachedReader reader(cache, ListOnceLoader(rest_, cache, ""));

  auto found = reader.Get(services_, "n2", "a");
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_NE(*found, nullptr);
  EXPECT_EQ(GetString((**found)["metadata"], "namespace"), "n2");
  auto absent = reader.Get(services_, "n2", "b");
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(*absent, nullptr);
  auto labelled = reader.ListInstallation(services_, "n1", "a");
  ASSERT_TRUE(labelled.ok());
  EXPECT_EQ(Names(*labelled), "n1/a,n1/a-extra");
  auto none = reader.ListInstallation(services_, "n3", "a");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(Names(*none), "");
  // Cluster-scoped: listed whole, found without a namespace whatever the caller passes.
  auto nginx = reader.Get(classes_, "n1", "nginx");
  ASSERT_TRUE(nginx.ok());
  EXPECT_NE(*nginx, nullptr);

  EXPECT_EQ(Urls(), (std::vector<std::string>{"GET /api/v1/services",
                                              "GET /apis/networking.k8s.io/v1/ingressclasses"}));
}

TEST_F(ClusterReaderTest, CachedReaderInOneNamespaceListsThatNamespace) {
  transport_.responses.push_back(Respond(500, R"({"kind":"Status","code":500,"message":"boom"})"));
  ObjectCache cache;
  CachedReader reader(cache, ListOnceLoader(rest_, cache, "chat"));
  auto failed = reader.Get(services_, "chat", "a");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "boom");
  EXPECT_FALSE(cache.Synced("services"));
  EXPECT_EQ(Urls(), (std::vector<std::string>{"GET /api/v1/namespaces/chat/services"}));
}

TEST_F(ClusterReaderTest, ObjectCacheFollowsWatchEvents) {
  ObjectCache cache;
  auto object = [](const char* json) {
    auto parsed = ParseJson(json);
    return SharedObject(std::make_shared<const rapidjson::Document>(std::move(*parsed)));
  };
  cache.Replace("services", {object(R"({"metadata":{"name":"a","namespace":"n","labels":{
    "installation.mattermost.com/installation":"x"}}})")});
  EXPECT_TRUE(cache.Synced("services"));
  EXPECT_EQ(Names(cache.FindInstallation("services", "n", "x")), "n/a");
  // Relabelled: it leaves the old installation's index.
  cache.Put("services", object(R"({"metadata":{"name":"a","namespace":"n","labels":{
    "installation.mattermost.com/installation":"y"}}})"));
  EXPECT_EQ(Names(cache.FindInstallation("services", "n", "x")), "");
  EXPECT_EQ(Names(cache.FindInstallation("services", "n", "y")), "n/a");
  cache.Remove("services", *object(R"({"metadata":{"name":"a","namespace":"n"}})"));
  EXPECT_EQ(cache.Find("services", "n", "a"), nullptr);
  EXPECT_EQ(Names(cache.FindInstallation("services", "n", "y")), "");
  kubeapi::CancellationToken cancel;
  cancel.Cancel();
  EXPECT_FALSE(cache.WaitSynced("pods", &cancel));
  EXPECT_TRUE(cache.WaitSynced("services", &cancel));
}

TEST_F(ClusterReaderTest, LiveReaderReadsEachObject) {
  transport_.responses.push_back(Respond(200, R"({"metadata":{"name":"a","namespace":"n"}})"));
  transport_.responses.push_back(
      Respond(404, R"({"kind":"Status","code":404,"reason":"NotFound","message":"nope"})"));
  transport_.responses.push_back(Respond(200, R"({"kind":"ServiceList","metadata":{},"items":[
    {"metadata":{"name":"a","namespace":"n"}}]})"));
  LiveReader reader(rest_);
  auto found = reader.Get(services_, "n", "a");
  ASSERT_TRUE(found.ok());
  EXPECT_NE(*found, nullptr);
  auto absent = reader.Get(services_, "n", "b");
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(*absent, nullptr);
  auto listed = reader.ListInstallation(services_, "n", "a");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(Names(*listed), "n/a");
  EXPECT_EQ(Urls(), (std::vector<std::string>{
                        "GET /api/v1/namespaces/n/services/a",
                        "GET /api/v1/namespaces/n/services/b",
                        "GET /api/v1/namespaces/n/services?labelSelector=installation.mattermost."
                        "com%2Finstallation%3Da&limit=500",
                    }));
}

TEST(NotFoundErrorTest, ReadsLikeTheServers) {
  Error error = NotFoundError(*kubeapi::BuiltinMapping("apps/v1", "Deployment"), "demo");
  EXPECT_TRUE(IsNotFound(error));
  EXPECT_EQ(error.message(), "deployments.apps \"demo\" not found");
}

}  // namespace
}  // namespace mm::engine
