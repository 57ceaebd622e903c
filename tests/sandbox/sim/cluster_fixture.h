#pragma once
// The fixture of the simulated cluster's tests: an ApiServer with a Cluster on a virtual clock,
// and helpers to call the API as an admin.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "core/json.h"
#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/table.h"
#include "tests/sandbox/test_request.h"

namespace sandbox::sim {

using std::chrono::milliseconds;

// Timers on a virtual clock for tests: RunFor runs due tasks in time order, advancing the clock.
class ManualTimers : public Timers {
 public:
  void After(milliseconds delay, std::function<void()> task) override {
    tasks_.emplace(std::pair{now_ + delay, seq_++}, std::move(task));
  }
  void RunFor(milliseconds span) {
    milliseconds end = now_ + span;
    while (!tasks_.empty() && tasks_.begin()->first.first <= end) {
      auto node = tasks_.extract(tasks_.begin());
      now_ = node.key().first;
      node.mapped()();
    }
    now_ = end;
  }
  TimePoint Clock() const { return TimePoint(std::chrono::seconds(1735689600)) + now_; }

 private:
  milliseconds now_{0};
  uint64_t seq_ = 0;
  std::map<std::pair<milliseconds, uint64_t>, std::function<void()>> tasks_;
};

class ClusterTest : public testing::Test {
 protected:
  ClusterTest()
      : api_(Config(timers_)),
        cluster_(api_, timers_, SimConfig{milliseconds(200), Clock(timers_), 1}) {
    api_.authorizer().AddToken("admin",
                               {"admin", {"system:masters", "system:authenticated"}, true});
    api_.Seed();
  }
  static std::function<TimePoint()> Clock(ManualTimers& timers) {
    return [&timers] { return timers.Clock(); };
  }
  static ServerConfig Config(ManualTimers& timers) {
    ServerConfig config;
    config.clock = Clock(timers);
    return config;
  }

  Response Call(const std::string& method, const std::string& target,
                const std::string& body = "") {
    return api_.Handle(TestRequest(method, target, body, "admin"));
  }
  std::string Get(const std::string& path, const std::string& json_path) {
    Response r = Call("GET", path);
    auto doc = mm::ParseJson(r.body);
    const Json* v = doc ? EvalJsonPath(*doc, json_path) : nullptr;
    return v ? (v->IsString() ? std::string(StrView(*v)) : Dump(*v)) : "<missing>";
  }
  std::string Names(const std::string& list_path) {
    auto doc = mm::ParseJson(Call("GET", list_path).body);
    std::string out;
    for (const auto& item : Member(*doc, "items")->GetArray()) {
      out += (out.empty() ? "" : " ") + Str(*Member(item, "metadata"), "name");
    }
    return out;
  }

  ManualTimers timers_;
  ApiServer api_;
  Cluster cluster_;
};

constexpr const char* kDeployment = R"({"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","namespace":"default"},
  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
    "template":{"metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[{"name":"web","image":"IMAGE"}]}}}})";

inline std::string Deployment(const std::string& image) {
  std::string text = kDeployment;
  return text.replace(text.find("IMAGE"), 5, image);
}

}  // namespace sandbox::sim
