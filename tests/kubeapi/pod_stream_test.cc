// Unit tests of the streaming subresources with a recording transport: the upgrade requests
// exec and port-forward send (URL, subprotocols, credentials), how refusals become errors, and
// how the exec error channel's Status becomes an exit code. The WebSocket traffic itself is
// tested against the sandbox (sandbox_stream_test.cc).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kubeapi/client.h"
#include "kubeapi/pod_exec.h"
#include "kubeapi/port_forward.h"
#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::RecordingTransport;
using testing::Respond;

struct FakeCluster {
  RecordingTransport* network = nullptr;
  std::unique_ptr<Client> client;
};

FakeCluster MakeClient() {
  RestConfig config;
  config.server = "https://10.0.0.1:6443";
  config.credentials.token = SecretString("sekret");
  config.impersonation.user = "jane";
  auto network = std::make_unique<RecordingTransport>();
  RecordingTransport* raw = network.get();
  auto client = Client::Create(config, {.user_agent = "test", .retry = {.max_retries = 0}},
                               std::move(network));
  EXPECT_TRUE(client.ok());
  return {raw, std::move(*client)};
}

TEST(ExitCodeFromStatusTest, ReadsTheChannelThreeStatus) {
  struct Case {
    std::string json;
    int exit_code;      // when ok
    std::string error;  // "" = ok
  };
  const std::vector<Case> cases = {
      {R"({"metadata":{},"status":"Success"})", 0, ""},
      {R"({"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}})",
       3, ""},
      {R"({"metadata":{},"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"137"}]}})",
       137, ""},
      {R"({"metadata":{},"status":"Failure","message":"executable file not found in $PATH","reason":"InternalError","code":500})",
       0, "executable file not found in $PATH"},
      {R"({"metadata":{},"status":"Failure","message":"bad cause","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"x"}]}})",
       0, "bad cause"},
      {"plain text error", 0, "exec: the error channel carried no Status: plain text error"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    Result<int> code = ExitCodeFromStatus(c.json);
    if (c.error.empty()) {
      ASSERT_TRUE(code.ok()) << code.error().message();
      EXPECT_EQ(*code, c.exit_code);
    } else {
      ASSERT_FALSE(code.ok());
      EXPECT_EQ(code.error().message(), c.error);
    }
  }
}

TEST(PodExecTest, SendsAnUpgradeOfferingV5ThenV4WithCredentials) {
  FakeCluster cluster = MakeClient();
  cluster.network->responses.push_back(Respond(
      404,
      R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"web\" not found","reason":"NotFound","code":404})"));
  auto result = ExecInPod(*cluster.client, {.namespace_name = "team",
                                            .pod = "web",
                                            .container = "app",
                                            .command = {"sh", "-c", "echo hi && exit 3"}});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(IsNotFound(result.error()));
  EXPECT_EQ(result.error().message(), "pods \"web\" not found");
  ASSERT_EQ(cluster.network->requests.size(), 1u);
  const HttpRequest& request = cluster.network->requests[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url,
            "https://10.0.0.1:6443/api/v1/namespaces/team/pods/web/exec?command=sh&command=-c&"
            "command=echo+hi+%26%26+exit+3&container=app&stdout=true&stderr=true");
  EXPECT_EQ(request.websocket_protocols,
            (std::vector<std::string>{"v5.channel.k8s.io", "v4.channel.k8s.io"}));
  EXPECT_EQ(request.Header("Authorization"), "Bearer sekret");
  EXPECT_EQ(request.Header("Impersonate-User"), "jane");
}

TEST(PodExecTest, StdinIsRequestedOnlyWhenGiven) {
  FakeCluster cluster = MakeClient();
  cluster.network->responses.push_back(Respond(400, "bad"));
  auto result = ExecInPod(
      *cluster.client,
      {.namespace_name = "ns", .pod = "p", .command = {"cat"}, .stdin_data = std::string("input")});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(cluster.network->requests[0].url,
            "https://10.0.0.1:6443/api/v1/namespaces/ns/pods/p/exec?command=cat&stdout=true&"
            "stderr=true&stdin=true");
}

TEST(PodExecTest, ACommandIsRequired) {
  FakeCluster cluster = MakeClient();
  auto result = ExecInPod(*cluster.client, {.namespace_name = "ns", .pod = "p"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::kUsage);
  EXPECT_TRUE(cluster.network->requests.empty());
}

TEST(PortForwardTest, SendsAV4UpgradeForThePort) {
  FakeCluster cluster = MakeClient();
  cluster.network->responses.push_back(Respond(
      400,
      R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"unable to forward port because pod is not running. Current status=Pending","reason":"BadRequest","code":400})"));
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  auto result = ForwardConnection(*cluster.client, {"team", "web-1", 8065}, fds[0], nullptr);
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            "unable to forward port because pod is not running. Current status=Pending");
  ASSERT_EQ(cluster.network->requests.size(), 1u);
  const HttpRequest& request = cluster.network->requests[0];
  EXPECT_EQ(request.url,
            "https://10.0.0.1:6443/api/v1/namespaces/team/pods/web-1/portforward?ports=8065");
  EXPECT_EQ(request.websocket_protocols, (std::vector<std::string>{"v4.channel.k8s.io"}));
  EXPECT_EQ(request.Header("Authorization"), "Bearer sekret");
}

TEST(PortForwardTest, AnUpgradeWithoutAConnectionIsAnError) {
  FakeCluster cluster = MakeClient();
  cluster.network->responses.push_back(Respond(101));  // a fake cannot hand over a socket
  auto result = ForwardConnection(*cluster.client, {"ns", "p", 80}, -1, nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::kInternal);
  cluster.network->responses.push_back(Respond(200, "not upgraded"));
  result = ForwardConnection(*cluster.client, {"ns", "p", 80}, -1, nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            "the server did not upgrade the connection to a WebSocket (200)");
}

}  // namespace
}  // namespace mm::kubeapi
