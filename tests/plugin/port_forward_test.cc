// port-forward's pure parts: the port argument and the choice of a ready pod.
#include <gtest/gtest.h>

#include <thread>

#include "plugin/port_forward/port_spec.h"
#include "plugin/port_forward/ready_pods.h"
#include "tests/plugin/cli_runner.h"

namespace mm {
namespace {

TEST(ParsePortSpecTest, KubectlForms) {
  struct Case {
    std::string text;
    int local;
    int remote;
    bool ok;
  };
  const std::vector<Case> cases = {
      {"8065", 8065, 8065, true}, {"9000:8065", 9000, 8065, true},
      {":8065", 0, 8065, true},   {"0:80", 0, 80, true},
      {"", 0, 0, false},          {"8065:", 0, 0, false},
      {"x:80", 0, 0, false},      {"70000", 0, 0, false},
      {"80:0", 0, 0, false},      {"-1:80", 0, 0, false},
      {"80:80:80", 0, 0, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto spec = ParsePortSpec(c.text);
    ASSERT_EQ(spec.ok(), c.ok);
    if (!c.ok) {
      EXPECT_EQ(spec.error().kind(), ErrorKind::kUsage);
      EXPECT_EQ(spec.error().message(),
                "invalid port \"" + c.text +
                    "\": expected LOCAL, LOCAL:REMOTE or :REMOTE with ports in 1-65535");
      continue;
    }
    EXPECT_EQ(spec->local, c.local);
    EXPECT_EQ(spec->remote, c.remote);
    EXPECT_TRUE(spec->local_given);
  }
}

rapidjson::Document Pod(const std::string& name, const std::string& phase, bool ready,
                        bool deleting = false) {
  std::string json =
      R"({"metadata":{"name":")" + name + "\"" +
      (deleting ? R"(,"deletionTimestamp":"2026-01-01T00:00:00Z")" : "") +
      R"(},"status":{"phase":")" + phase +
      R"(","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":")" +
      (ready ? "True" : "False") + "\"}]}}";
  auto document = ParseJson(json);
  EXPECT_TRUE(document.ok()) << json;
  return std::move(*document);
}

TEST(ReadyPodsTest, ReadinessNeedsRunningReadyAndNotDeleting) {
  EXPECT_TRUE(IsPodReady(Pod("a", "Running", true)));
  EXPECT_FALSE(IsPodReady(Pod("a", "Running", false)));
  EXPECT_FALSE(IsPodReady(Pod("a", "Pending", true)));
  EXPECT_FALSE(IsPodReady(Pod("a", "Running", true, true)));
  EXPECT_FALSE(IsPodReady(*ParseJson(R"({"metadata":{"name":"a"}})")));
}

TEST(ReadyPodsTest, PickStaysOnAPodWhileItIsReady) {
  ReadyPods pods;
  EXPECT_EQ(pods.Pick(), "");
  kubeapi::ObjectStore store;
  store["ns/b"] = Pod("b", "Running", true);
  store["ns/c"] = Pod("c", "Running", true);
  store["ns/a"] = Pod("a", "Pending", false);
  pods.Update(store);
  EXPECT_EQ(pods.Pick(), "b");
  store["ns/a"] = Pod("a", "Running", true);
  pods.Update(store);
  EXPECT_EQ(pods.Pick(), "b");  // sticky while b is ready
  store["ns/b"] = Pod("b", "Running", true, true);
  pods.Update(store);
  EXPECT_EQ(pods.Pick(), "a");  // b is going away
  store.erase("ns/a");
  pods.Update(store);
  EXPECT_EQ(pods.Pick(), "c");
}

TEST(ReadyPodsTest, WaitForReadyReturnsWhenAPodBecomesReadyOrOnCancel) {
  ReadyPods pods;
  kubeapi::CancellationToken cancel;
  auto far = std::chrono::steady_clock::now() + std::chrono::hours(1);
  std::thread updater([&] {
    kubeapi::ObjectStore store;
    store["ns/x"] = Pod("x", "Running", true);
    pods.Update(store);
  });
  EXPECT_TRUE(pods.WaitForReady(far, cancel));
  updater.join();
  ReadyPods empty;
  cancel.Cancel();
  EXPECT_FALSE(empty.WaitForReady(far, cancel));
  kubeapi::CancellationToken never;
  EXPECT_FALSE(empty.WaitForReady(std::chrono::steady_clock::now(), never));
}

TEST(ReadyPodsTest, SyncedAfterTheFirstUpdateEvenWithoutReadyPods) {
  ReadyPods pods;
  kubeapi::CancellationToken never;
  EXPECT_FALSE(pods.WaitForSync(std::chrono::steady_clock::now(), never));
  pods.Update({});
  EXPECT_TRUE(pods.WaitForSync(std::chrono::steady_clock::now(), never));
  EXPECT_EQ(pods.Pick(), "");
}

TEST(PortForwardCommandTest, UsageErrorsBeforeAnyRequest) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::string see = "\nSee 'kubectl mattermost port-forward -h' for help and examples\n";
  const std::vector<Case> cases = {
      {{"port-forward"}, "error: port-forward needs the installation NAME" + see},
      {{"port-forward", "demo", "8065:x"},
       "error: invalid port \"8065:x\": expected LOCAL, LOCAL:REMOTE or :REMOTE with ports in "
       "1-65535" +
           see},
      {{"port-forward", "demo", "1", "2"},
       "error: port-forward takes NAME and at most one LOCAL[:REMOTE], got 3 arguments" + see},
      {{"port-forward", "demo", "--timeout", "soon"},
       "error: invalid --timeout \"soon\" (e.g. 5m, 90s)" + see},
  };
  for (const Case& c : cases) {
    auto run = testing::RunForTest(c.args);
    EXPECT_EQ(run.code, 1);
    EXPECT_EQ(run.err, c.err);
    EXPECT_EQ(run.out, "");
  }
}

}  // namespace
}  // namespace mm
