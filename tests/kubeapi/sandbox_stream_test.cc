// Integration tests: WebSocket streams (exec, port-forward) of the kubeapi client against a fresh
// kube-sandbox over TLS, whose simulated mattermost pods serve HTTP on 8065 and a bulk port 9999
// (the client writes N and '\n'; the pod sends N bytes, byte i = 'a' + i % 26, then closes).
#include <gtest/gtest.h>

#include "core/json.h"
#include "kubeapi/client.h"
#include "kubeapi/informer.h"
#include "kubeapi/kubeconfig_loader.h"
#include "kubeapi/pod_exec.h"
#include "kubeapi/rest_config_builder.h"
#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/sandbox_process.h"

namespace mm::kubeapi {
namespace {

using testing::Json;
using testing::SandboxProcess;

const ResourceMapping kPods{"", "v1", "pods", "Pod", true};
const ResourceMapping kNamespaces{"", "v1", "namespaces", "Namespace", false};
constexpr char kNamespace[] = "streams";
constexpr char kPod[] = "mm-0";

class SandboxStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox_ = new SandboxProcess({"--pod-ready-delay", "200"});
    if (!sandbox_->ok()) return;
    std::unique_ptr<Client> client = ClientFor("sandbox");
    auto ns = client->rest().Create(
        kNamespaces, "",
        Json(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"streams"}})"), {});
    ASSERT_TRUE(ns.ok()) << ns.error().message();
    auto pod = client->rest().Create(
        kPods, kNamespace,
        Json(
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"mm-0"},"spec":{"containers":[)"
            R"({"name":"mattermost","image":"mattermost/mattermost-enterprise-edition:10.8.1"}]}})"),
        {});
    ASSERT_TRUE(pod.ok()) << pod.error().message();
    auto running = WaitFor(
        client->rest(), kPods, kNamespace, kPod,
        [](const rapidjson::Value* object) {
          return object != nullptr && GetString((*object)["status"], "phase") == "Running";
        },
        RealClock(), RealClock().Now() + std::chrono::seconds(60), nullptr);
    ASSERT_TRUE(running.ok()) << running.error().message();
  }
  static void TearDownTestSuite() { delete sandbox_; }

  void SetUp() override { ASSERT_TRUE(sandbox_->ok()) << sandbox_->error(); }

  static std::unique_ptr<Client> ClientFor(const std::string& context,
                                           ConfigOverrides overrides = {}) {
    auto config = LoadKubeconfig({sandbox_->kubeconfig(), "", ""});
    EXPECT_TRUE(config.ok());
    overrides.context = context;
    auto rest = BuildRestConfig(*config, overrides, InClusterEnvironment{});
    EXPECT_TRUE(rest.ok()) << rest.error().message();
    auto client = Client::Create(*rest, {.user_agent = "kubeapi-test"});
    EXPECT_TRUE(client.ok());
    return std::move(*client);
  }

  static inline SandboxProcess* sandbox_ = nullptr;
};

TEST_F(SandboxStreamTest, UpgradeRefusalsAndTlsFailuresReadAsForRest) {
  struct Case {
    std::string context;
    ConfigOverrides overrides;
    std::string pod;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"sandbox", {}, "nope", "pods \"nope\" not found"},  // client certificate
      {"sandbox-token", {}, "nope", "pods \"nope\" not found"},
      {"sandbox-token", {.token = "wrong"}, kPod, "Unauthorized"},
      {"sandbox",
       {.tls_server_name = "wrong.example"},
       kPod,
       "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is "
       "not valid for wrong.example"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.context + " " + c.pod);
    std::unique_ptr<Client> client = ClientFor(c.context, c.overrides);
    auto result =
        ExecInPod(*client, {.namespace_name = kNamespace, .pod = c.pod, .command = {"true"}});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message(), c.error);
  }
}

}  // namespace
}  // namespace mm::kubeapi
