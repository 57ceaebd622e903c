#include "plugin/engine/operator_detect.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm::engine {
namespace {

SharedObject Deployment(const std::string& namespace_name, const std::string& name,
                        const char* available) {
  auto parsed =
      ParseJson(R"({"metadata":{"name":")" + name + R"(","namespace":")" + namespace_name +
                R"("},"status":{"conditions":[{"type":"Progressing","status":"True"},)"
                R"({"type":"Available","status":")" +
                available + R"("}]}})");
  return std::make_shared<const rapidjson::Document>(std::move(*parsed));
}

TEST(OperatorDetectTest, FindsTheAvailableOperatorInListedDeploymentsAsTheRequestsWould) {
  struct Case {
    const char* name;
    std::vector<SharedObject> deployments;
    std::optional<std::string> want;
  };
  const Case kCases[] = {
      {"none", {Deployment("chat", "demo", "True")}, std::nullopt},
      {"in its namespace",
       {Deployment("chat", "demo", "True"),
        Deployment("mattermost-operator", "mattermost-operator", "True")},
       "mattermost-operator"},
      {"not available",
       {Deployment("mattermost-operator", "mattermost-operator", "False")},
       std::nullopt},
      // Its own namespace's Deployment decides, as the GET that finds it first.
      {"unavailable there, available elsewhere",
       {Deployment("a-ops", "mattermost-operator", "True"),
        Deployment("mattermost-operator", "mattermost-operator", "False")},
       std::nullopt},
      {"elsewhere only",
       {Deployment("a-ops", "mattermost-operator", "False"),
        Deployment("b-ops", "mattermost-operator", "True"),
        Deployment("c-ops", "mattermost-operator", "True")},
       "b-ops"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(FindAvailableOperator(c.deployments), c.want) << c.name;
  }
}

}  // namespace
}  // namespace mm::engine
