// The client's exec against a server that offers v4.channel.k8s.io but not v5 (kube-sandbox
// --no-exec-v5, as older API servers): the client falls back to v4, and output, standard error
// and exit codes arrive as with v5. (Stdin is not tried: v4 cannot signal its end.)
#include <gtest/gtest.h>

#include "core/json.h"
#include "kubeapi/informer.h"
#include "kubeapi/pod_exec.h"
#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/sandbox_client.h"

namespace mm::kubeapi {
namespace {

using testing::SandboxProcess;

TEST(SandboxExecV4Test, ExecFallsBackToV4WhenTheServerHasNoV5) {
  SandboxProcess sandbox({"--no-exec-v5", "--pod-ready-delay", "100"});
  ASSERT_TRUE(sandbox.ok()) << sandbox.error();
  std::unique_ptr<Client> client = testing::SandboxClientFor(sandbox, "sandbox");
  const ResourceMapping pods{"", "v1", "pods", "Pod", true};
  auto created = client->rest().Create(
      pods, "default",
      testing::Json(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"old"},"spec":{)"
          R"("containers":[{"name":"mattermost","image":"mattermost/mattermost-team-edition:10.8.1"}]}})"),
      {});
  ASSERT_TRUE(created.ok()) << created.error().message();
  auto running = WaitFor(
      client->rest(), pods, "default", "old",
      [](const rapidjson::Value* pod) {
        return pod != nullptr && GetString((*pod)["status"], "phase") == "Running";
      },
      RealClock(), RealClock().Now() + std::chrono::seconds(60), nullptr);
  ASSERT_TRUE(running.ok()) << running.error().message();

  std::string out;
  auto echo = ExecInPod(*client, {.namespace_name = "default",
                                  .pod = "old",
                                  .command = {"echo", "over", "v4"},
                                  .on_stdout = [&](std::string_view data) { out += data; }});
  ASSERT_TRUE(echo.ok()) << echo.error().message();
  EXPECT_EQ(echo->protocol, "v4.channel.k8s.io");
  EXPECT_EQ(echo->exit_code, 0);
  EXPECT_EQ(out, "over v4\n");

  // Standard error and a non-zero exit code (the simulated sh only runs `sh -c SCRIPT`).
  std::string err;
  auto usage = ExecInPod(*client, {.namespace_name = "default",
                                   .pod = "old",
                                   .command = {"sh"},
                                   .on_stderr = [&](std::string_view data) { err += data; }});
  ASSERT_TRUE(usage.ok()) << usage.error().message();
  EXPECT_EQ(usage->protocol, "v4.channel.k8s.io");
  EXPECT_EQ(usage->exit_code, 2);
  EXPECT_EQ(err, "sh: only `sh -c SCRIPT` is simulated\n");

  auto failed = ExecInPod(
      *client, {.namespace_name = "default", .pod = "old", .command = {"sh", "-c", "exit 3"}});
  ASSERT_TRUE(failed.ok()) << failed.error().message();
  EXPECT_EQ(failed->exit_code, 3);
}

}  // namespace
}  // namespace mm::kubeapi
