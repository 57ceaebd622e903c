// Integration tests: WebSocket streams (exec, port-forward) of the kubeapi client against a fresh
// kube-sandbox over TLS, whose simulated mattermost pods serve HTTP on 8065 and a bulk port 9999
// (the client writes N and '\n'; the pod sends N bytes, byte i = 'a' + i % 26, then closes).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "core/json.h"
#include "kubeapi/client.h"
#include "kubeapi/informer.h"
#include "kubeapi/kubeconfig_loader.h"
#include "kubeapi/pod_exec.h"
#include "kubeapi/port_forward.h"
#include "kubeapi/rest_config_builder.h"
#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/sandbox_client.h"
#include "tests/kubeapi/sandbox_process.h"

namespace mm::kubeapi {
namespace {

using testing::Json;
using testing::SandboxProcess;

const ResourceMapping kPods{"", "v1", "pods", "Pod", true};
const ResourceMapping kNamespaces{"", "v1", "namespaces", "Namespace", false};
constexpr char kNamespace[] = "streams";
constexpr char kPod[] = "mm-0";

// A connected pair of stream sockets; closes whatever is still open.
struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  int fds[2] = {-1, -1};
};

// Reads `fd` to its end.
std::string ReadAll(int fd) {
  std::string data;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) data.append(buffer, static_cast<size_t>(n));
  return data;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

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
    return testing::SandboxClientFor(*sandbox_, context, std::move(overrides));
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

TEST_F(SandboxStreamTest, ExecStreamsOutputAndReportsTheExitCode) {
  std::unique_ptr<Client> client = ClientFor("sandbox-token");
  std::string out;
  auto echo = ExecInPod(*client, {.namespace_name = kNamespace,
                                  .pod = kPod,
                                  .command = {"echo", "hello", "world"},
                                  .on_stdout = [&](std::string_view data) { out += data; }});
  ASSERT_TRUE(echo.ok()) << echo.error().message();
  EXPECT_EQ(echo->exit_code, 0);
  EXPECT_EQ(echo->protocol, "v5.channel.k8s.io");
  EXPECT_EQ(out, "hello world\n");

  auto failing =
      ExecInPod(*client, {.namespace_name = kNamespace, .pod = kPod, .command = {"false"}});
  ASSERT_TRUE(failing.ok()) << failing.error().message();
  EXPECT_EQ(failing->exit_code, 1);

  std::string echoed;
  auto cat = ExecInPod(*client, {.namespace_name = kNamespace,
                                 .pod = kPod,
                                 .command = {"cat"},
                                 .stdin_data = std::string(100000, 'x'),
                                 .on_stdout = [&](std::string_view data) { echoed += data; }});
  ASSERT_TRUE(cat.ok()) << cat.error().message();
  EXPECT_EQ(cat->exit_code, 0);
  EXPECT_EQ(echoed, std::string(100000, 'x'));
}

TEST_F(SandboxStreamTest, PortForwardCarriesOneHundredMegabytesIntact) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  SocketPair pair;
  Result<void> forwarded;
  std::thread forwarder([&] {
    forwarded = ForwardConnection(*client, {kNamespace, kPod, 9999}, pair.fds[0], nullptr);
    ::shutdown(pair.fds[0], SHUT_RDWR);
  });
  constexpr size_t kSize = 100 * 1024 * 1024;
  ASSERT_TRUE(WriteAll(pair.fds[1], std::to_string(kSize) + "\n"));
  std::string data = ReadAll(pair.fds[1]);
  forwarder.join();
  ASSERT_TRUE(forwarded.ok()) << forwarded.error().message();
  ASSERT_EQ(data.size(), kSize);
  size_t mismatches = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != static_cast<char>('a' + i % 26)) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST_F(SandboxStreamTest, PortForwardServesHttpOnManyConnectionsAtOnce) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  constexpr int kConnections = 20;
  std::vector<std::string> answers(kConnections);
  std::vector<std::thread> threads;
  for (int i = 0; i < kConnections; ++i) {
    threads.emplace_back([&, i] {
      SocketPair pair;
      std::thread forwarder([&] {
        auto forwarded = ForwardConnection(*client, {kNamespace, kPod, 8065}, pair.fds[0], nullptr);
        EXPECT_TRUE(forwarded.ok()) << forwarded.error().message();
        ::shutdown(pair.fds[0], SHUT_RDWR);
      });
      WriteAll(pair.fds[1],
               "GET /api/v4/system/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      answers[i] = ReadAll(pair.fds[1]);
      forwarder.join();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& answer : answers) {
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
    EXPECT_NE(answer.find(R"("status":"OK")"), std::string::npos) << answer;
  }
}

TEST_F(SandboxStreamTest, PortForwardSurfacesTheErrorChannel) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  SocketPair pair;
  auto forwarded = ForwardConnection(*client, {kNamespace, kPod, 5432}, pair.fds[0], nullptr);
  ASSERT_FALSE(forwarded.ok());
  EXPECT_EQ(forwarded.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(forwarded.error().message().rfind("error forwarding port 5432 to pod ", 0), 0u)
      << forwarded.error().message();
}

TEST_F(SandboxStreamTest, CancelStopsAnIdleForward) {
  std::unique_ptr<Client> client = ClientFor("sandbox");
  SocketPair pair;
  CancellationToken cancel;
  Result<void> forwarded;
  std::thread forwarder([&] {
    forwarded = ForwardConnection(*client, {kNamespace, kPod, 8065}, pair.fds[0], &cancel);
  });
  // The connection is open and idle (no request sent); a cancel ends it.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  cancel.Cancel();
  forwarder.join();
  ASSERT_FALSE(forwarded.ok());
  EXPECT_EQ(forwarded.error().kind(), ErrorKind::kInterrupted);
}

}  // namespace
}  // namespace mm::kubeapi
