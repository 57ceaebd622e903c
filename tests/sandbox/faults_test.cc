#include "tests/sandbox/faults.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "tests/sandbox/api_server.h"
#include "tests/sandbox/test_request.h"

namespace sandbox {
namespace {

FaultRule Rule(std::string_view text) {
  auto rule = ParseFaultRule(text);
  EXPECT_TRUE(rule.ok()) << text << ": " << (rule ? "" : rule.error().message());
  return rule ? *rule : FaultRule{};
}

FaultTarget Get(std::string resource = "configmaps", std::string name = "a") {
  std::string path = "/api/v1/namespaces/default/" + resource + "/" + name;
  return {.verb = "get",
          .resource = std::move(resource),
          .ns = "default",
          .name = std::move(name),
          .method = "GET",
          .path = std::move(path)};
}

TEST(ParseFaultRuleTest, ReadsEveryKey) {
  FaultRule rule =
      Rule("503,verb=get,resource=pods/log,namespace=ns,name=web,every=3,retryAfter=2");
  EXPECT_EQ(rule.kind, FaultKind::kServiceUnavailable);
  EXPECT_EQ(rule.verb, "get");
  EXPECT_EQ(rule.resource, "pods/log");
  EXPECT_EQ(rule.ns, "ns");
  EXPECT_EQ(rule.name, "web");
  EXPECT_EQ(rule.trigger, FaultTrigger::kEvery);
  EXPECT_EQ(rule.count, 3u);
  EXPECT_EQ(rule.retry_after_seconds, 2);
  FaultRule drop = Rule("drop-watch,after=4,probability=0.25");
  EXPECT_EQ(drop.kind, FaultKind::kDropWatch);
  EXPECT_EQ(drop.after, 4u);
  EXPECT_EQ(drop.trigger, FaultTrigger::kProbability);
  EXPECT_DOUBLE_EQ(drop.probability, 0.25);
  FaultRule plain = Rule("429");
  EXPECT_EQ(plain.trigger, FaultTrigger::kNext);
  EXPECT_EQ(plain.count, 1u);
  EXPECT_EQ(Rule("latency,ms=250").delay, std::chrono::milliseconds(250));
}

TEST(ParseFaultRuleTest, RefusesBadRules) {
  const std::pair<std::string, std::string> cases[] = {
      {"504",
       "fault rule: unknown kind \"504\" (reset, drop-watch, 429, 500, 503, conflict, "
       "expired, latency, slow-tls, truncate)"},
      {"500,verb", "fault rule: \"verb\" is not key=value"},
      {"500,color=red", "fault rule: unknown key \"color\""},
      {"500,next=0", "fault rule: next=0: want a positive integer"},
      {"500,every=x", "fault rule: every=x: want a positive integer"},
      {"500,probability=1.5", "fault rule: probability=1.5: want a number in [0, 1]"},
      {"500,next=1,every=2", "fault rule: give one of next, every or probability"},
      {"latency", "fault rule: latency needs ms=N"},
      {"slow-tls,ms=10,verb=get",
       "fault rule: slow-tls acts on connections; it takes no verb, resource, namespace or name"},
  };
  for (const auto& [text, message] : cases) {
    auto rule = ParseFaultRule(text);
    ASSERT_FALSE(rule.ok()) << text;
    EXPECT_EQ(rule.error().message(), message);
  }
}

TEST(FaultInjectorTest, NextEveryAndMatching) {
  std::vector<std::string> log;
  FaultInjector faults(1, [&](const std::string& line) { log.push_back(line); });
  faults.Add(Rule("500,verb=get,resource=configmaps,name=a,next=2"));
  faults.Add(Rule("conflict,resource=configmaps"));  // writes only
  faults.Add(Rule("429,resource=secrets,every=2"));
  std::vector<bool> fired;
  for (int i = 0; i < 4; ++i) fired.push_back(faults.Decide(Get()).has_value());
  EXPECT_EQ(fired, (std::vector<bool>{true, true, false, false}));
  EXPECT_FALSE(faults.Decide(Get("configmaps", "b")));
  EXPECT_EQ(faults.rules()[1].matched, 0u);  // reads never count for a conflict rule

  FaultTarget write = Get();
  write.verb = "patch";
  write.resource = "configmaps";
  auto conflict = faults.Decide(write);
  ASSERT_TRUE(conflict && conflict->answer);
  EXPECT_EQ(conflict->answer->code, 409);
  EXPECT_EQ(conflict->answer->message,
            "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
            "please apply your changes to the latest version and try again");
  EXPECT_FALSE(faults.Decide(write));

  fired.clear();
  for (int i = 0; i < 4; ++i) fired.push_back(faults.Decide(Get("secrets")).has_value());
  EXPECT_EQ(fired, (std::vector<bool>{false, true, false, true}));
  auto too_many = faults.rules()[2];
  EXPECT_EQ(too_many.fired, 2u);
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0],
            "kube-sandbox: fault 500 (rule 1, fired 1 of 1 matched) on get GET "
            "/api/v1/namespaces/default/configmaps/a");
}

TEST(FaultInjectorTest, AnswersCarryRetryAfter) {
  FaultInjector faults(1, [](const std::string&) {});
  faults.Add(Rule("429"));
  faults.Add(Rule("503,retryAfter=2"));
  faults.Add(Rule("500"));
  auto first = faults.Decide(Get());
  ASSERT_TRUE(first && first->answer);
  EXPECT_EQ(first->answer->reason, "TooManyRequests");
  EXPECT_EQ(first->answer->retry_after_seconds, 1);
  auto second = faults.Decide(Get());
  ASSERT_TRUE(second && second->answer);
  EXPECT_EQ(second->answer->code, 503);
  EXPECT_EQ(second->answer->retry_after_seconds, 2);
  auto third = faults.Decide(Get());
  ASSERT_TRUE(third && third->answer);
  EXPECT_EQ(third->answer->message, "Internal error occurred: injected by kube-sandbox");
  EXPECT_EQ(third->answer->retry_after_seconds, 0);
}

// The same seed gives the same faults; another seed gives others.
TEST(FaultInjectorTest, ProbabilityIsReproducibleFromTheSeed) {
  auto run = [](uint64_t seed) {
    FaultInjector faults(seed, [](const std::string&) {});
    faults.Add(Rule("500,probability=0.5"));
    std::string pattern;
    for (int i = 0; i < 64; ++i) pattern += faults.Decide(Get()) ? 'x' : '.';
    return pattern;
  };
  std::string first = run(7);
  EXPECT_EQ(first, run(7));
  EXPECT_NE(first, run(8));
  size_t fired = std::count(first.begin(), first.end(), 'x');
  EXPECT_GT(fired, 16u) << first;  // 64 fair coins: far from 0 or 64
  EXPECT_LT(fired, 48u) << first;
}

TEST(FaultInjectorTest, SlowTlsCountsConnections) {
  FaultInjector faults(1, [](const std::string&) {});
  faults.Add(Rule("slow-tls,ms=300,every=2"));
  EXPECT_FALSE(faults.Decide(Get()));
  EXPECT_EQ(faults.HandshakeDelay().count(), 0);
  EXPECT_EQ(faults.HandshakeDelay().count(), 300);
}

TEST(FaultInjectorTest, AdminAddsListsAndClears) {
  FaultInjector faults(1, [](const std::string&) {});
  auto [code, body] = faults.Admin(
      "POST", R"({"seed":3,"rules":[{"kind":"429","verb":"list","retryAfter":2,"next":3}]})");
  EXPECT_EQ(code, 200) << body;
  EXPECT_EQ(body, R"({"rules":[{"kind":"429","verb":"list","resource":"*","next":3,"retryAfter":2,)"
                  R"("matched":0,"fired":0}]})");
  auto [bad_code, bad] = faults.Admin("POST", R"({"rules":[{"kind":"teapot"}]})");
  EXPECT_EQ(bad_code, 400);
  EXPECT_NE(bad.find("unknown kind \\\"teapot\\\""), std::string::npos) << bad;
  EXPECT_EQ(faults.rules().size(), 1u);
  EXPECT_EQ(faults.Admin("DELETE", "").second, R"({"rules":[]})");
  EXPECT_TRUE(faults.rules().empty());
}

// The API server applies decided faults: answers, conflicts that leave the object alone, cut
// bodies and broken watches.
class ApiServerFaultTest : public testing::Test {
 protected:
  ApiServerFaultTest() : api_(ServerConfig{}) {
    api_.authorizer().AddToken("admin",
                               {"admin", {"system:masters", "system:authenticated"}, true});
    api_.authorizer().AddToken("viewer", {"viewer", {"system:authenticated"}, true});
    api_.Seed();
    api_.faults() = FaultInjector(1, [](const std::string&) {});
  }

  Response Call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& token = "admin") {
    return api_.Handle(TestRequest(method, target, body, token));
  }

  void AddRules(const std::string& rules) {
    Response added = Call("POST", "/sandbox/faults", R"({"rules":)" + rules + "}");
    ASSERT_EQ(added.code, 200) << added.body;
  }

  ApiServer api_;
};

class Sink : public StreamSink {
 public:
  void Write(std::string data) override { lines += data; }
  void End() override { ended = true; }
  void Abort() override { aborted = true; }
  std::string lines;
  bool ended = false;
  bool aborted = false;
};

constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

TEST_F(ApiServerFaultTest, AdminEndpointIsForAdministratorsOnly) {
  Response denied = Call("GET", "/sandbox/faults", "", "viewer");
  EXPECT_EQ(denied.code, 403) << denied.body;
  EXPECT_EQ(Call("GET", "/sandbox/faults").code, 200);
}

TEST_F(ApiServerFaultTest, AnswersConflictsAndTruncation) {
  ASSERT_EQ(Call("POST", kConfigMaps, R"({"metadata":{"name":"a"},"data":{"k":"1"}})").code, 201);
  AddRules(R"([{"kind":"429","verb":"get","retryAfter":3},{"kind":"conflict"},)"
           R"({"kind":"truncate","verb":"list"}])");
  Response limited = Call("GET", std::string(kConfigMaps) + "/a");
  EXPECT_EQ(limited.code, 429);
  EXPECT_EQ(limited.headers, (decltype(limited.headers){{"Retry-After", "3"}}));
  EXPECT_EQ(Call("GET", std::string(kConfigMaps) + "/a").code, 200);

  Response conflict = Call("PATCH", std::string(kConfigMaps) + "/a", R"({"data":{"k":"2"}})");
  EXPECT_EQ(conflict.code, 409);
  Response read = Call("GET", std::string(kConfigMaps) + "/a");
  EXPECT_NE(read.body.find(R"("k":"1")"), std::string::npos) << "the write was applied";

  Response cut = Call("GET", kConfigMaps);
  Response whole = Call("GET", kConfigMaps);
  EXPECT_EQ(cut.code, 200);
  EXPECT_FALSE(mm::ParseJson(cut.body).ok());
  EXPECT_EQ(cut.body.size(), whole.body.size() / 2);
}

// The simulated controllers run inside the sandbox: faults are for clients on the network.
TEST_F(ApiServerFaultTest, InProcessCallsAreNeverFaulted) {
  AddRules(R"([{"kind":"500","every":1}])");
  Request internal = TestRequest("GET", kConfigMaps, "", "admin");
  internal.in_process = true;
  EXPECT_EQ(api_.Handle(internal).code, 200);
  EXPECT_EQ(api_.faults().rules()[0].matched, 0u);
  EXPECT_EQ(Call("GET", kConfigMaps).code, 500);
}

TEST_F(ApiServerFaultTest, StatusConflictNamesTheResource) {
  ASSERT_EQ(Call("POST", "/apis/apps/v1/namespaces/default/deployments",
                 R"({"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"a":"b"}},)"
                 R"("template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[)"
                 R"({"name":"c","image":"nginx"}]}}}})")
                .code,
            201);
  AddRules(R"([{"kind":"conflict","resource":"deployments/status"}])");
  Response conflict = Call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/status",
                           R"({"status":{"replicas":1}})");
  EXPECT_EQ(conflict.code, 409);
  EXPECT_NE(conflict.body.find(
                R"("message":"Operation cannot be fulfilled on deployments.apps \"web\": )"),
            std::string::npos)
      << conflict.body;
}

TEST_F(ApiServerFaultTest, ResetAndLatencyAreLeftToTheConnection) {
  AddRules(R"([{"kind":"reset","verb":"list"},{"kind":"latency","verb":"get","ms":40}])");
  Response reset = Call("GET", kConfigMaps);
  ASSERT_TRUE(reset.reset_after_bytes.has_value());
  EXPECT_EQ(*reset.reset_after_bytes, reset.body.size() / 2);
  EXPECT_FALSE(Call("GET", kConfigMaps).reset_after_bytes.has_value());
  Response slow = Call("GET", "/api/v1/namespaces/default");
  EXPECT_EQ(slow.delay, std::chrono::milliseconds(40));
}

TEST_F(ApiServerFaultTest, WatchesDropOrExpireAfterEvents) {
  for (const char* name : {"a", "b", "c"}) {
    Call("POST", kConfigMaps, R"({"metadata":{"name":")" + std::string(name) + "\"}}");
  }
  AddRules(R"([{"kind":"drop-watch","after":2},{"kind":"expired","after":1}])");
  Response dropped = Call("GET", std::string(kConfigMaps) + "?watch=true");
  ASSERT_TRUE(dropped.stream);
  Sink drop_sink;
  dropped.stream->Start(&drop_sink);
  dropped.stream->Stop();
  EXPECT_TRUE(drop_sink.aborted);
  EXPECT_FALSE(drop_sink.ended);
  EXPECT_EQ(std::count(drop_sink.lines.begin(), drop_sink.lines.end(), '\n'), 2);

  Response expired = Call("GET", std::string(kConfigMaps) + "?watch=true&resourceVersion=1");
  Sink expire_sink;
  expired.stream->Start(&expire_sink);
  Call("POST", kConfigMaps, R"({"metadata":{"name":"d"}})");
  Call("POST", kConfigMaps, R"({"metadata":{"name":"e"}})");
  expired.stream->Stop();
  EXPECT_TRUE(expire_sink.ended);
  EXPECT_FALSE(expire_sink.aborted);
  size_t newline = expire_sink.lines.find('\n');
  ASSERT_NE(newline, std::string::npos);
  std::string error = expire_sink.lines.substr(newline + 1);
  EXPECT_EQ(error.rfind(R"({"type":"ERROR","object":{"kind":"Status")", 0), 0u) << error;
  EXPECT_NE(error.find(R"("message":"too old resource version: 1 ()"), std::string::npos);
  EXPECT_NE(error.find(R"("reason":"Expired","code":410}})"), std::string::npos);
  EXPECT_EQ(error.find("\"e\""), std::string::npos) << "an event after the cut was sent";

  AddRules(R"([{"kind":"reset","verb":"watch","after":1}])");
  Response reset = Call("GET", std::string(kConfigMaps) + "?watch=true");
  Sink reset_sink;
  reset.stream->Start(&reset_sink);
  reset.stream->Stop();
  EXPECT_TRUE(reset_sink.aborted);
  size_t first_end = reset_sink.lines.find('\n');
  ASSERT_NE(first_end, std::string::npos);
  std::string partial = reset_sink.lines.substr(first_end + 1);
  EXPECT_FALSE(partial.empty());
  EXPECT_EQ(partial.find('\n'), std::string::npos) << "the second event was sent whole";
  EXPECT_EQ(partial.rfind(R"({"type":"ADDED")", 0), 0u) << partial;
}

}  // namespace
}  // namespace sandbox
