// Integration tests: the kubeapi client against a fresh kube-sandbox over TLS (client
// certificates, bearer tokens, CRUD, pagination, apply, watch resume, 410 relist, WaitFor).
#include "tests/kubeapi/sandbox_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/json.h"
#include "kubeapi/client.h"
#include "kubeapi/informer.h"
#include "kubeapi/kubeconfig_loader.h"
#include "kubeapi/rest_config_builder.h"
#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/sandbox_process.h"

namespace mm::kubeapi {
namespace {

using testing::Json;
using testing::SandboxProcess;

const ResourceMapping kConfigMaps{"", "v1", "configmaps", "ConfigMap", true};
const ResourceMapping kNamespaces{"", "v1", "namespaces", "Namespace", false};
const ResourceMapping kDeployments{"apps", "v1", "deployments", "Deployment", true};

rapidjson::Document ConfigMap(const std::string& name, const std::string& value = "1") {
  return Json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name +
              R"("},"data":{"k":")" + value + "\"}}");
}

class SandboxClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sandbox_ = new SandboxProcess({"--watch-window", "30"}); }
  static void TearDownTestSuite() { delete sandbox_; }

  void SetUp() override { ASSERT_TRUE(sandbox_->ok()) << sandbox_->error(); }

  static std::unique_ptr<Client> ClientFor(const std::string& context,
                                           ConfigOverrides overrides = {}) {
    return testing::SandboxClientFor(*sandbox_, context, std::move(overrides));
  }

  // Creates namespace `name` (fresh per test, so tests do not see each other's objects).
  static void CreateNamespace(Client& client, const std::string& name) {
    auto created = client.rest().Create(
        kNamespaces, "",
        Json(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + name + "\"}}"), {});
    ASSERT_TRUE(created.ok()) << created.error().message();
  }

  static inline SandboxProcess* sandbox_ = nullptr;
};

TEST_F(SandboxClientTest, EveryAuthMethodOverTls) {
  struct Case {
    std::string context;
    ConfigOverrides overrides;
    std::string error;  // "" = /version answers
  };
  const std::vector<Case> cases = {
      {"sandbox", {}, ""},        // client certificate from kubeconfig data, CA from data
      {"sandbox-token", {}, ""},  // bearer token
      {"sandbox-viewer", {}, ""},
      {"sandbox-token", {.token = "wrong"}, "Unauthorized"},
      {"sandbox",
       {.tls_server_name = "wrong.example"},
       "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is "
       "not valid for wrong.example"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.context);
    std::unique_ptr<Client> client = ClientFor(c.context, c.overrides);
    auto version = client->rest().DoJson({.path = "/version"});
    if (c.error.empty()) {
      ASSERT_TRUE(version.ok()) << version.error().message();
      EXPECT_EQ(GetString(*version, "minor"), "32");
    } else {
      ASSERT_FALSE(version.ok());
      EXPECT_EQ(version.error().message(), c.error);
    }
  }
}

// Returns the user name the sandbox sees for `client` (a SelfSubjectReview), or the error text.
std::string WhoAmI(Client& client) {
  auto review = client.rest().DoJson(
      {.method = "POST",
       .path = "/apis/authentication.k8s.io/v1/selfsubjectreviews",
       .body = R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"})"});
  if (!review) return review.error().message();
  const rapidjson::Value* status = FindMember(*review, "status");
  const rapidjson::Value* user = status ? FindMember(*status, "userInfo") : nullptr;
  return user ? GetString(*user, "username") : "";
}

TEST_F(SandboxClientTest, BasicAuthFromKubeconfigAndFlags) {
  EXPECT_EQ(WhoAmI(*ClientFor("sandbox-basic")), "sandbox-basic");
  EXPECT_EQ(WhoAmI(*ClientFor("sandbox-basic", {.password = "wrong"})), "Unauthorized");
  EXPECT_EQ(WhoAmI(*ClientFor("sandbox-basic", {.username = "someone-else"})), "Unauthorized");
  EXPECT_EQ(WhoAmI(*ClientFor("sandbox-token")), "sandbox-token-admin");
}

TEST_F(SandboxClientTest, ViewerIsForbiddenToWrite) {
  std::unique_ptr<Client> viewer = ClientFor("sandbox-viewer");
  auto created = viewer->rest().Create(kConfigMaps, "default", ConfigMap("nope"), {});
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(IsForbidden(created.error())) << created.error().message();
}

TEST_F(SandboxClientTest, CrudPaginationApplyAndErrors) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  RestClient& rest = client->rest();
  CreateNamespace(*client, "crud");
  for (int i = 0; i < 5; ++i) {
    auto created = rest.Create(kConfigMaps, "crud", ConfigMap("cm-" + std::to_string(i)), {});
    ASSERT_TRUE(created.ok()) << created.error().message();
  }
  auto again = rest.Create(kConfigMaps, "crud", ConfigMap("cm-0"), {});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(IsAlreadyExists(again.error()));
  EXPECT_EQ(again.error().message(), "configmaps \"cm-0\" already exists");

  auto list = rest.List(kConfigMaps, "crud", {.limit = 2});
  ASSERT_TRUE(list.ok()) << list.error().message();
  std::vector<std::string> names;
  for (const auto& item : (*list)["items"].GetArray()) {
    names.push_back(GetString(item["metadata"], "name"));
    EXPECT_EQ(GetString(item, "kind"), "ConfigMap");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"cm-0", "cm-1", "cm-2", "cm-3", "cm-4"}));

  auto current = rest.Get(kConfigMaps, "crud", "cm-1");
  ASSERT_TRUE(current.ok());
  rapidjson::Document stale;
  stale.CopyFrom(*current, stale.GetAllocator());
  (*current)["data"]["k"].SetString("2");
  ASSERT_TRUE(rest.Update(kConfigMaps, "crud", *current, {}).ok());
  auto conflict = rest.Update(kConfigMaps, "crud", stale, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_TRUE(IsConflict(conflict.error()));

  auto patched =
      rest.Patch(kConfigMaps, "crud", "cm-2", PatchType::kMerge, R"({"data":{"k":"p"}})", {});
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(GetString((*patched)["data"], "k"), "p");

  auto dry = rest.Create(kConfigMaps, "crud", ConfigMap("dry"), {.dry_run = true});
  ASSERT_TRUE(dry.ok());
  auto not_stored = rest.Get(kConfigMaps, "crud", "dry");
  ASSERT_FALSE(not_stored.ok());
  EXPECT_TRUE(IsNotFound(not_stored.error()));

  auto applied = rest.Apply(kConfigMaps, "crud", ConfigMap("applied", "a"), {});
  ASSERT_TRUE(applied.ok()) << applied.error().message();
  applied = rest.Apply(kConfigMaps, "crud", ConfigMap("applied", "b"), {});
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(GetString((*applied)["data"], "k"), "b");
  EXPECT_NE(ToJson(*applied).find("\"manager\":\"kubectl-mattermost\""), std::string::npos);

  ASSERT_TRUE(rest.Delete(kConfigMaps, "crud", "cm-3", {.propagation_policy = "Background"}).ok());
  auto missing = rest.Get(kConfigMaps, "crud", "cm-3");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(IsNotFound(missing.error()));
  EXPECT_EQ(missing.error().message(), "configmaps \"cm-3\" not found");
}

TEST_F(SandboxClientTest, ScaleSubresource) {
  std::unique_ptr<Client> client = ClientFor("sandbox-token");
  RestClient& rest = client->rest();
  CreateNamespace(*client, "scale");
  auto deployment = Json(
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,)"
      R"("selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},)"
      R"("spec":{"containers":[{"name":"c","image":"nginx"}]}}}})");
  ASSERT_TRUE(rest.Create(kDeployments, "scale", deployment, {}).ok());
  auto scaled = rest.Patch(kDeployments, "scale", "web", PatchType::kMerge,
                           R"({"spec":{"replicas":4}})", {}, "scale");
  ASSERT_TRUE(scaled.ok()) << scaled.error().message();
  EXPECT_EQ(GetString(*scaled, "kind"), "Scale");
  auto read = rest.Get(kDeployments, "scale", "web");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)["spec"]["replicas"].GetInt(), 4);
}

TEST_F(SandboxClientTest, WaitForSeesAnObjectCreatedWhileWaiting) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  CreateNamespace(*client, "wait");
  std::thread creator([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto writer = ClientFor("sandbox");
    EXPECT_TRUE(writer->rest().Create(kConfigMaps, "wait", ConfigMap("late", "ready"), {}).ok());
  });
  auto start = std::chrono::steady_clock::now();
  auto found = WaitFor(
      client->rest(), kConfigMaps, "wait", "late",
      [](const rapidjson::Value* object) {
        return object != nullptr && GetString((*object)["data"], "k") == "ready";
      },
      RealClock(), RealClock().Now() + std::chrono::seconds(20), nullptr);
  creator.join();
  ASSERT_TRUE(found.ok()) << found.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(SandboxClientTest, InformerRelistsWhenItsVersionLeftTheWatchWindow) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  RestClient& rest = client->rest();
  CreateNamespace(*client, "gone");
  ASSERT_TRUE(rest.Create(kConfigMaps, "gone", ConfigMap("first"), {}).ok());
  auto list = rest.List(kConfigMaps, "gone", {});
  ASSERT_TRUE(list.ok());
  std::string old_version = ResourceVersionOf(*list);
  for (int i = 0; i < 40; ++i) {  // push old_version out of the 30-event window
    ASSERT_TRUE(rest.Patch(kConfigMaps, "gone", "first", PatchType::kMerge,
                           R"({"data":{"k":")" + std::to_string(i) + "\"}}", {})
                    .ok());
  }
  auto watched = WatchResource(
      rest, kConfigMaps, "gone", {.resource_version = old_version},
      [](const WatchEvent&) { return WatchDecision::kStop; }, RealClock(),
      RealClock().Now() + std::chrono::seconds(10), nullptr);
  ASSERT_FALSE(watched.ok());
  EXPECT_TRUE(IsGone(watched.error())) << watched.error().message();

  // The informer lists, so it never starts from a version that old; after it has synced, a
  // create shows up as an event.
  Informer informer(rest, kConfigMaps, "gone", {});
  std::vector<std::string> seen;
  std::thread creator;
  auto ran = informer.Run(
      [&](const WatchEvent* event, const ObjectStore&) {
        if (event == nullptr) {
          creator = std::thread([&] {
            auto writer = ClientFor("sandbox");
            EXPECT_TRUE(writer->rest().Create(kConfigMaps, "gone", ConfigMap("second"), {}).ok());
          });
          return WatchDecision::kContinue;
        }
        seen.push_back(StoreKey(event->object));
        return WatchDecision::kStop;
      },
      RealClock(), RealClock().Now() + std::chrono::seconds(20), nullptr);
  if (creator.joinable()) creator.join();
  ASSERT_TRUE(ran.ok()) << ran.error().message();
  EXPECT_EQ(seen, (std::vector<std::string>{"gone/second"}));
  EXPECT_EQ(informer.Store().size(), 2u);
}

TEST_F(SandboxClientTest, OneConnectionServesSequentialRequests) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  std::vector<int> new_connections;
  for (int i = 0; i < 5; ++i) {
    HttpResponse response = client->transport().RoundTrip(
        {.method = "GET", .url = client->config().server + "/version"});
    ASSERT_EQ(response.status, 200) << response.failure_message;
    new_connections.push_back(response.new_connections);
  }
  EXPECT_EQ(new_connections, (std::vector<int>{1, 0, 0, 0, 0}));
}

}  // namespace
}  // namespace mm::kubeapi
