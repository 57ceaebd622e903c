// Reliability: the kubeapi client against a kube-sandbox that injects faults (429 with
// Retry-After, 5xx, connection resets, dropped and expired watches, truncated bodies, slow TLS),
// over TLS. Each test scopes its rules to its own namespace and clears them when it ends.
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
using Clock = std::chrono::steady_clock;

const ResourceMapping kConfigMaps{"", "v1", "configmaps", "ConfigMap", true};
const ResourceMapping kNamespaces{"", "v1", "namespaces", "Namespace", false};

rapidjson::Document ConfigMap(const std::string& name) {
  return Json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name +
              R"("},"data":{"k":"v"}})");
}

// A rule's counters, as GET /sandbox/faults reports them.
struct Counters {
  uint64_t matched = 0;
  uint64_t fired = 0;
  bool operator==(const Counters&) const = default;
};
std::ostream& operator<<(std::ostream& out, const Counters& c) {
  return out << "{matched " << c.matched << ", fired " << c.fired << "}";
}

class SandboxFaultsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sandbox_ = new SandboxProcess({"--no-simulation"}); }
  static void TearDownTestSuite() { delete sandbox_; }

  void SetUp() override {
    ASSERT_TRUE(sandbox_->ok()) << sandbox_->error();
    client_ = NewClient();
    ns_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::transform(ns_.begin(), ns_.end(), ns_.begin(), ::tolower);
    auto created = client_->rest().Create(
        kNamespaces, "",
        Json(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + ns_ + "\"}}"), {});
    ASSERT_TRUE(created.ok()) << created.error().message();
  }
  void TearDown() override {
    auto cleared = client_->rest().DoJson({.method = "DELETE", .path = "/sandbox/faults"});
    EXPECT_TRUE(cleared.ok()) << cleared.error().message();
  }

  static std::unique_ptr<Client> NewClient() {
    auto config = LoadKubeconfig({sandbox_->kubeconfig(), "", ""});
    EXPECT_TRUE(config.ok());
    auto rest = BuildRestConfig(*config, {}, InClusterEnvironment{});
    EXPECT_TRUE(rest.ok()) << rest.error().message();
    auto client = Client::Create(*rest, {.user_agent = "kubeapi-faults-test"});
    EXPECT_TRUE(client.ok());
    return std::move(*client);
  }

  // Adds fault rules (JSON objects) scoped to this test's namespace.
  void Inject(const std::vector<std::string>& rules) {
    std::string body = R"({"rules":[)";
    for (size_t i = 0; i < rules.size(); ++i) {
      body += (i ? "," : "") + rules[i].substr(0, rules[i].size() - 1) + R"(,"namespace":")" + ns_ +
              "\"}";
    }
    auto added =
        client_->rest().DoJson({.method = "POST", .path = "/sandbox/faults", .body = body + "]}"});
    ASSERT_TRUE(added.ok()) << added.error().message();
  }

  Counters RuleCounters(size_t index) {
    auto listed = client_->rest().DoJson({.path = "/sandbox/faults"});
    EXPECT_TRUE(listed.ok());
    if (!listed.ok() || index >= (*listed)["rules"].Size()) return {};
    const rapidjson::Value& rule = (*listed)["rules"][static_cast<rapidjson::SizeType>(index)];
    return {rule["matched"].GetUint64(), rule["fired"].GetUint64()};
  }

  static inline SandboxProcess* sandbox_ = nullptr;
  std::unique_ptr<Client> client_;
  std::string ns_;
};

TEST_F(SandboxFaultsTest, TooManyRequestsIsRetriedAfterRetryAfter) {
  RestClient& rest = client_->rest();
  ASSERT_TRUE(rest.Create(kConfigMaps, ns_, ConfigMap("a"), {}).ok());
  Inject({R"({"kind":"429","verb":"get","next":2,"retryAfter":1})"});
  auto start = Clock::now();
  auto read = rest.Get(kConfigMaps, ns_, "a");
  ASSERT_TRUE(read.ok()) << read.error().message();
  // Two answers of Retry-After: 1 were waited out (a lower bound: the server decides it).
  EXPECT_GE(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(RuleCounters(0), (Counters{3, 2}));
}

TEST_F(SandboxFaultsTest, ServerErrorsAreRetriedOnlyWithRetryAfter) {
  RestClient& rest = client_->rest();
  ASSERT_TRUE(rest.Create(kConfigMaps, ns_, ConfigMap("a"), {}).ok());
  Inject({R"({"kind":"500","verb":"get","next":1,"retryAfter":1})",
          R"({"kind":"503","verb":"get","next":1,"retryAfter":1})"});
  auto read = rest.Get(kConfigMaps, ns_, "a");
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(RuleCounters(0), (Counters{3, 1}));
  EXPECT_EQ(RuleCounters(1), (Counters{3, 1}));

  // Without Retry-After the answer is the caller's to handle (client-go does not retry it).
  Inject({R"({"kind":"503","verb":"list","next":1})"});
  auto listed = rest.List(kConfigMaps, ns_, {});
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().message(), "the server is currently unable to handle the request");
  ASSERT_TRUE(listed.error().status());
  EXPECT_EQ(listed.error().status()->code, 503);
  EXPECT_EQ(RuleCounters(2), (Counters{1, 1}));
  EXPECT_TRUE(rest.List(kConfigMaps, ns_, {}).ok());
}

TEST_F(SandboxFaultsTest, ResetReadsAreRetriedButWritesAreNotResent) {
  RestClient& rest = client_->rest();
  Inject({R"({"kind":"reset","verb":"create","next":1})",
          R"({"kind":"reset","verb":"get","next":1})"});
  auto created = rest.Create(kConfigMaps, ns_, ConfigMap("once"), {});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind(), ErrorKind::kTransport);
  // Which one depends on whether the reset overtakes the partial body on the loopback.
  const std::string& message = created.error().message();
  EXPECT_TRUE(message == "Unable to connect to the server: unexpected EOF" ||
              message.find(": read: connection reset by peer") != std::string::npos)
      << message;
  // The server applied the write before the connection broke; a blind re-send would have been
  // a second POST (AlreadyExists at best). Exactly one reached the server.
  EXPECT_EQ(RuleCounters(0), (Counters{1, 1}));
  auto read = rest.Get(kConfigMaps, ns_, "once");  // reset once, then retried
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(RuleCounters(1), (Counters{2, 1}));
}

TEST_F(SandboxFaultsTest, ConflictIsReportedAndNothingIsWritten) {
  RestClient& rest = client_->rest();
  ASSERT_TRUE(rest.Create(kConfigMaps, ns_, ConfigMap("a"), {}).ok());
  Inject({R"({"kind":"conflict","next":1})"});
  auto patched =
      rest.Patch(kConfigMaps, ns_, "a", PatchType::kMerge, R"({"data":{"k":"new"}})", {});
  ASSERT_FALSE(patched.ok());
  EXPECT_TRUE(IsConflict(patched.error())) << patched.error().message();
  auto read = rest.Get(kConfigMaps, ns_, "a");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(GetString((*read)["data"], "k"), "v");
}

TEST_F(SandboxFaultsTest, TruncatedJsonIsAClearError) {
  RestClient& rest = client_->rest();
  ASSERT_TRUE(rest.Create(kConfigMaps, ns_, ConfigMap("a"), {}).ok());
  Inject({R"({"kind":"truncate","verb":"get","next":1})"});
  auto read = rest.Get(kConfigMaps, ns_, "a");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind(), ErrorKind::kInvalid);
  // The body was cut inside a string; the offset is where the parser stopped.
  const std::string prefix = "the server's response to GET /api/v1/namespaces/" + ns_ +
                             "/configmaps/a: invalid JSON at offset ";
  EXPECT_EQ(read.error().message().rfind(prefix, 0), 0u) << read.error().message();
  EXPECT_TRUE(rest.Get(kConfigMaps, ns_, "a").ok());
}

// Creates `count` ConfigMaps, injects `rule`, and watches from before the first: returns the
// names the watch delivered, in order (it stops after `count`).
std::vector<std::string> WatchThroughFault(RestClient& rest, const std::string& ns, int count,
                                           const std::function<void()>& inject) {
  auto list = rest.List(kConfigMaps, ns, {});
  EXPECT_TRUE(list.ok());
  if (!list.ok()) return {};
  for (int i = 0; i < count; ++i) {
    EXPECT_TRUE(rest.Create(kConfigMaps, ns, ConfigMap("cm-" + std::to_string(i)), {}).ok());
  }
  inject();
  std::vector<std::string> seen;
  auto watched = WatchResource(
      rest, kConfigMaps, ns, {.resource_version = ResourceVersionOf(*list)},
      [&](const WatchEvent& event) {
        seen.push_back(GetString(event.object["metadata"], "name"));
        return static_cast<int>(seen.size()) == count ? WatchDecision::kStop
                                                      : WatchDecision::kContinue;
      },
      RealClock(), RealClock().Now() + std::chrono::seconds(60), nullptr);
  EXPECT_TRUE(watched.ok()) << watched.error().message();
  return seen;
}

const std::vector<std::string> kFiveNames = {"cm-0", "cm-1", "cm-2", "cm-3", "cm-4"};

// A watch whose connection is reset twice, after two events each time, resumes from the last
// resourceVersion it saw: every event arrives exactly once, in order.
TEST_F(SandboxFaultsTest, WatchResumesAfterDropsWithoutLosingOrRepeatingEvents) {
  EXPECT_EQ(WatchThroughFault(client_->rest(), ns_, 5,
                              [&] { Inject({R"({"kind":"drop-watch","after":2,"next":2})"}); }),
            kFiveNames);
  EXPECT_EQ(RuleCounters(0), (Counters{3, 2}));
}

// A reset in the middle of an event: the half event is dropped with the connection, and the
// resumed watch delivers it whole, once.
TEST_F(SandboxFaultsTest, WatchResumesAfterAResetMidEvent) {
  EXPECT_EQ(
      WatchThroughFault(client_->rest(), ns_, 5,
                        [&] { Inject({R"({"kind":"reset","verb":"watch","after":1,"next":3})"}); }),
      kFiveNames);
  EXPECT_EQ(RuleCounters(0), (Counters{4, 3}));
}

// 410 Expired inside the watch stream: the informer relists and finds what changed meanwhile.
TEST_F(SandboxFaultsTest, ExpiredWatchMakesTheInformerRelist) {
  RestClient& rest = client_->rest();
  ASSERT_TRUE(rest.Create(kConfigMaps, ns_, ConfigMap("first"), {}).ok());
  Inject({R"({"kind":"429","verb":"watch","next":1})", R"({"kind":"expired","next":1})"});
  std::unique_ptr<Client> writer = NewClient();
  Informer informer(rest, kConfigMaps, ns_, {});
  int syncs = 0;
  std::vector<std::string> seen;
  auto ran = informer.Run(
      [&](const WatchEvent* event, const ObjectStore&) {
        if (event == nullptr) {
          if (++syncs == 1) {
            EXPECT_TRUE(writer->rest().Create(kConfigMaps, ns_, ConfigMap("second"), {}).ok());
          }
          return WatchDecision::kContinue;
        }
        seen.push_back(StoreKey(event->object));
        return WatchDecision::kStop;
      },
      RealClock(), RealClock().Now() + std::chrono::seconds(60), nullptr);
  ASSERT_TRUE(ran.ok()) << ran.error().message();
  EXPECT_EQ(seen, (std::vector<std::string>{ns_ + "/second"}));
  EXPECT_EQ(informer.Store().size(), 2u);
  // The first watch was answered 429 (Retry-After 1) and retried; the retry got the 410.
  EXPECT_EQ(RuleCounters(0), (Counters{2, 1}));
  EXPECT_EQ(RuleCounters(1), (Counters{2, 1}));
}

TEST_F(SandboxFaultsTest, SlowTlsHandshakeAndLatencyOnlySlowThingsDown) {
  Inject({R"({"kind":"latency","verb":"list","ms":700,"next":1})"});
  auto start = Clock::now();
  ASSERT_TRUE(client_->rest().List(kConfigMaps, ns_, {}).ok());
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(700));

  auto added =
      client_->rest().DoJson({.method = "POST",
                              .path = "/sandbox/faults",
                              .body = R"({"rules":[{"kind":"slow-tls","ms":700,"next":1}]})"});
  ASSERT_TRUE(added.ok()) << added.error().message();
  std::unique_ptr<Client> fresh = NewClient();  // a new connection, so a new handshake
  start = Clock::now();
  auto listed = fresh->rest().List(kConfigMaps, ns_, {});
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(700));
  EXPECT_EQ(RuleCounters(1), (Counters{1, 1}));
}

}  // namespace
}  // namespace mm::kubeapi
