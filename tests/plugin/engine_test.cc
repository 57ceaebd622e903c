#include "plugin/engine/engine.h"

#include <gtest/gtest.h>

#include <map>

#include "core/json.h"
#include "plugin/engine/execute.h"
#include "tests/kubeapi/fakes.h"

namespace mm {
namespace {

using kubeapi::testing::RecordingTransport;
using kubeapi::testing::Respond;

constexpr char kServer[] = "http://api.test";
constexpr char kMattermostPath[] =
    "/apis/installation.mattermost.com/v1beta1/namespaces/chat/mattermosts/demo";

// A not yet defaulted Mattermost with an external DB and a local file store.
constexpr char kMattermost[] = R"({"apiVersion":"installation.mattermost.com/v1beta1",
  "kind":"Mattermost","metadata":{"name":"demo","namespace":"chat","uid":"u-1","generation":1,
  "resourceVersion":"5"},"spec":{"size":"100users","ingress":{"enabled":true,"host":"demo.local"},
  "database":{"external":{"secret":"db"}},"fileStore":{"local":{"enabled":true}}}})";

// Legacy discovery (a server without aggregated discovery): the group list, then the group version.
constexpr char kGroups[] = R"({"kind":"APIGroupList","groups":[{"name":
  "installation.mattermost.com","versions":[{"groupVersion":"installation.mattermost.com/v1beta1",
  "version":"v1beta1"}]}]})";
constexpr char kDiscovery[] = R"({"kind":"APIResourceList",
  "groupVersion":"installation.mattermost.com/v1beta1","resources":[{"name":"mattermosts",
  "singularName":"mattermost","namespaced":true,"kind":"Mattermost","verbs":["get"]}]})";

// A tiny API server: GETs answer from `objects` (404 otherwise), lists are empty, writes are
// recorded and echo their body.
struct FakeCluster {
  std::map<std::string, std::string> objects;  // path -> JSON
  std::vector<std::string> writes;             // "METHOD path?query"
  std::vector<std::string> reads;              // "path?query" of every GET

  kubeapi::HttpResponse Serve(const kubeapi::HttpRequest& request) {
    std::string url = request.url.substr(std::string(kServer).size());
    std::string path = url.substr(0, url.find('?'));
    if (request.method != "GET") {
      writes.push_back(request.method + " " + url);
      std::string body = request.body;
      if (request.method == "PUT" && path == kMattermostPath) {
        // The server bumps generation on a spec change.
        body = body.replace(body.find("\"generation\":1"), 14, "\"generation\":2");
      }
      return Respond(200, body);
    }
    reads.push_back(url);
    if (auto found = objects.find(path); found != objects.end()) return Respond(200, found->second);
    if (url.find("labelSelector") != std::string::npos) {
      return Respond(200, R"({"kind":"List","metadata":{"resourceVersion":"9"},"items":[]})");
    }
    return Respond(404, R"({"kind":"Status","status":"Failure","reason":"NotFound","code":404,
      "message":"not found"})");
  }
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.objects = {
        {"/apis", kGroups},
        {"/apis/installation.mattermost.com/v1beta1", kDiscovery},
        {kMattermostPath, kMattermost},
        {"/api/v1/namespaces/chat/secrets/db",
         R"({"kind":"Secret","data":{"DB_CONNECTION_STRING":"cG9zdGdyZXM6Ly9kYg=="}})"},
    };
    auto network = std::make_unique<RecordingTransport>();
    network->handler = [this](const kubeapi::HttpRequest& r) { return cluster_.Serve(r); };
    kubeapi::RestConfig config;
    config.server = kServer;
    auto client = kubeapi::Client::Create(config, {}, std::move(network));
    ASSERT_TRUE(client.ok()) << client.error().message();
    client_ = std::move(*client);
  }

  FakeCluster cluster_;
  std::unique_ptr<kubeapi::Client> client_;
};

TEST_F(EngineTest, FirstPassDefaultsAppliesChildrenInOrderAndWritesStatus) {
  auto pass = engine::ReconcileOnce(*client_, "chat", "demo", {});
  ASSERT_TRUE(pass.ok()) << pass.error().message();
  const std::string apply = "?fieldManager=kubectl-mattermost&force=true";
  EXPECT_EQ(
      cluster_.writes,
      (std::vector<std::string>{
          "PUT /apis/installation.mattermost.com/v1beta1/namespaces/chat/mattermosts/demo"
          "?fieldManager=kubectl-mattermost",
          "PATCH /api/v1/namespaces/chat/persistentvolumeclaims/demo" + apply,
          "PATCH /api/v1/namespaces/chat/services/demo" + apply,
          "PATCH /api/v1/namespaces/chat/serviceaccounts/demo" + apply,
          "PATCH /apis/rbac.authorization.k8s.io/v1/namespaces/chat/roles/demo" + apply,
          "PATCH /apis/rbac.authorization.k8s.io/v1/namespaces/chat/rolebindings/demo" + apply,
          "PATCH /apis/networking.k8s.io/v1/namespaces/chat/ingresses/demo" + apply,
          "PATCH /apis/apps/v1/namespaces/chat/deployments/demo" + apply,
          "PUT /apis/installation.mattermost.com/v1beta1/namespaces/chat/mattermosts/demo/"
          "status?fieldManager=kubectl-mattermost",
      }));
  EXPECT_EQ(pass->writes, 9);
  EXPECT_TRUE(pass->spec_defaulted);
  EXPECT_TRUE(pass->status_written);
  EXPECT_EQ(ToJson((*pass->mattermost)["status"]),
            R"({"state":"reconciling","observedGeneration":2})");
  EXPECT_EQ(engine::FormatPlan(pass->plan),
            "create PersistentVolumeClaim demo (not found)\n"
            "create Service demo (not found)\n"
            "create ServiceAccount demo (not found)\n"
            "create Role demo (not found)\n"
            "create RoleBinding demo (not found)\n"
            "create Ingress demo (not found)\n"
            "create Deployment demo (not found)\n"
            "status: reconciling (requeue after 6s: deployment not found)\n");
}

// The local claim is read for the cluster facts (its access modes) and again as a child: one GET.
TEST_F(EngineTest, APassReadsEachObjectOnce) {
  auto pass = engine::ReconcileOnce(*client_, "chat", "demo", {});
  ASSERT_TRUE(pass.ok()) << pass.error().message();
  std::map<std::string, int> gets;
  for (const std::string& url : cluster_.reads) ++gets[url];
  EXPECT_EQ(gets["/api/v1/namespaces/chat/persistentvolumeclaims/demo"], 1);
  for (const auto& [url, count] : gets) EXPECT_EQ(count, 1) << url;
}

TEST_F(EngineTest, DryRunWritesNothing) {
  auto pass = engine::ReconcileOnce(*client_, "chat", "demo", {.dry_run = true});
  ASSERT_TRUE(pass.ok()) << pass.error().message();
  EXPECT_EQ(cluster_.writes, std::vector<std::string>{});
  EXPECT_EQ(pass->writes, 0);
  EXPECT_TRUE(pass->spec_defaulted);
  EXPECT_EQ(pass->plan.actions.size(), 7u);
}

TEST_F(EngineTest, AMissingDatabaseSecretIsWrittenToStatus) {
  cluster_.objects.erase("/api/v1/namespaces/chat/secrets/db");
  auto pass = engine::ReconcileOnce(*client_, "chat", "demo", {});
  ASSERT_TRUE(pass.ok()) << pass.error().message();
  EXPECT_EQ(pass->plan.error, "failed to get external db Secret: secrets \"db\" not found");
  EXPECT_EQ(cluster_.writes.size(), 2u);  // the defaulted spec, then status
  EXPECT_EQ(ToJson((*pass->mattermost)["status"]),
            R"({"state":"reconciling","observedGeneration":2,)"
            R"("error":"failed to get external db Secret: secrets \"db\" not found"})");
}

}  // namespace
}  // namespace mm
