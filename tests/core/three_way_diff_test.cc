// ThreeWayDifference: the operator's objectmatcher decision (operator.md §4), case by case.
#include "core/three_way_diff.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

struct Case {
  const char* what;
  const char* original;  // "" = no last-applied annotation
  const char* desired;
  const char* live;
  const char* expected;  // "" = no difference
};

TEST(ThreeWayDiffTest, DecidesLikeTheOperator) {
  const Case kCases[] = {
      {"equal", "", R"({"spec":{"replicas":2}})", R"({"spec":{"replicas":2}})", ""},
      {"fields only the server sets are ignored", "", R"({"spec":{"replicas":2}})",
       R"({"metadata":{"uid":"u"},"spec":{"replicas":2,"paused":false}})", ""},
      {"a changed value", "", R"({"spec":{"replicas":2}})", R"({"spec":{"replicas":3}})",
       ".spec.replicas: expected 2, got 3"},
      {"a missing value", "", R"({"metadata":{"labels":{"a":"1"}}})", R"({"metadata":{}})",
       R"(.metadata.labels: expected {"a":"1"}, got <absent>)"},
      {"null and empty strings count as absent", "", R"({"spec":{"clusterIP":"","selector":null}})",
       R"({"spec":{}})", ""},
      {"a removed label still live", R"({"metadata":{"labels":{"a":"1","team":"x"}}})",
       R"({"metadata":{"labels":{"a":"1"}}})", R"({"metadata":{"labels":{"a":"1","team":"x"}}})",
       R"(.metadata.labels.team: removed, got "x")"},
      {"a removed label already gone", R"({"metadata":{"labels":{"a":"1","team":"x"}}})",
       R"({"metadata":{"labels":{"a":"1"}}})", R"({"metadata":{"labels":{"a":"1"}}})", ""},
      {"a removed annotation block", R"({"metadata":{"annotations":{"k":"v"}}})",
       R"({"metadata":{}})", R"({"metadata":{"annotations":{"k":"v","other":"w"}}})",
       R"(.metadata.annotations: removed, got {"k":"v","other":"w"})"},
      {"Go's empty structs are never removals",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"c","resources":{}}]}}},"x":{"a":{}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"c","resources":{}}]}}},"x":{"a":{}}})",
       ""},
      {"env merges by name: order and extra live entries do not matter", "",
       R"({"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]})",
       R"({"env":[{"name":"C","value":"3"},{"name":"B","value":"2"},{"name":"A","value":"1"}]})",
       ""},
      {"an env value changed", "", R"({"env":[{"name":"A","value":"1"}]})",
       R"({"env":[{"name":"A","value":"9"}]})", ".env[name=A].value: expected \"1\", got \"9\""},
      {"an env entry removed since last applied",
       R"({"env":[{"name":"A","value":"1"},{"name":"OLD","value":"x"}]})",
       R"({"env":[{"name":"A","value":"1"}]})",
       R"({"env":[{"name":"A","value":"1"},{"name":"OLD","value":"x"}]})",
       R"(.env[name=OLD]: removed, got {"name":"OLD","value":"x"})"},
      {"container ports merge on containerPort, defaults ignored", "",
       R"({"ports":[{"name":"app","containerPort":8065}]})",
       R"({"ports":[{"name":"app","containerPort":8065,"protocol":"TCP"}]})", ""},
      {"service ports merge on port", "", R"({"ports":[{"name":"app","port":8065}]})",
       R"({"ports":[{"name":"app","port":8067}]})",
       R"(.ports[port=8065]: expected {"name":"app","port":8065}, got <absent>)"},
      {"other lists are replaced whole: an extra live element differs", "",
       R"({"command":["mattermost"]})", R"({"command":["mattermost","jobserver"]})",
       R"(.command: expected ["mattermost"], got ["mattermost","jobserver"])"},
      {"replaced lists compare after Go's cleaning", "", R"({"rules":[{"host":"a","x":""}]})",
       R"({"rules":[{"host":"a"}]})", ""},
      {"replaced lists see fields the server added", "", R"({"rules":[{"host":"a"}]})",
       R"({"rules":[{"host":"a","extra":1}]})",
       R"(.rules: expected [{"host":"a"}], got [{"host":"a","extra":1}])"},
      {"status is never compared", R"({"status":{"availableReplicas":0}})",
       R"({"status":{"availableReplicas":0}})", R"({"status":{"availableReplicas":4}})", ""},
      {"false is a value (objectmatcher 1.8 keeps it)", "", R"({"spec":{"paused":false}})",
       R"({"spec":{"paused":true}})", ".spec.paused: expected false, got true"},
      {"a scalar where live has an object", "", R"({"spec":{"type":"x"}})",
       R"({"spec":{"type":{"x":1}}})", R"(.spec.type: expected "x", got {"x":1})"},
      {"a scalar where live has a list", "", R"({"spec":{"type":"x"}})",
       R"({"spec":{"type":["x"]}})", R"(.spec.type: expected "x", got ["x"])"},
      {"an object where live has a scalar", "", R"({"spec":{"a":{"b":1}}})",
       R"({"spec":{"a":"b"}})", R"(.spec.a: expected {"b":1}, got "b")"},
      {"a live null or empty string is absent", "", R"({"spec":{"a":1,"c":2}})",
       R"({"spec":{"a":null,"b":"","c":2}})", ".spec.a: expected 1, got <absent>"},
      {"numbers compare by value, as rapidjson's ==", "", R"({"spec":{"a":1,"b":2.5}})",
       R"({"spec":{"a":1.0,"b":2.5}})", ""},
      {"an int is not its string", "", R"({"spec":{"a":1}})", R"({"spec":{"a":"1"}})",
       R"(.spec.a: expected 1, got "1")"},
      {"true is not false", "", R"({"spec":{"a":true}})", R"({"spec":{"a":false}})",
       ".spec.a: expected true, got false"},
      {"members in another order", "", R"({"spec":{"a":1,"b":2,"c":3}})",
       R"({"spec":{"c":3,"x":0,"b":2,"a":1}})", ""},
      {"a long string differing in its last byte", "",
       R"({"a":"0123456789012345678901234567890123456789012345678901234567890123456789x"})",
       R"({"a":"0123456789012345678901234567890123456789012345678901234567890123456789y"})",
       R"(.a: expected "0123456789012345678901234567890123456789012345678901234567890123456789x", got "0123456789012345678901234567890123456789012345678901234567890123456789y")"},
      {"unicode strings compare bytewise", "", R"({"a":"caf\u00e9"})", R"({"a":"cafe\u0301"})",
       ".a: expected \"caf\u00e9\", got \"cafe\u0301\""},
      {"a changed name in a merged list's element", "",
       R"({"containers":[{"name":"app","image":"mm:10"}]})",
       R"({"containers":[{"image":"mm:10","name":"app"},{"name":"sidecar"}]})", ""},
      {"a nested difference inside a merged list", "",
       R"({"containers":[{"name":"app","env":[{"name":"A","value":"1"}]}]})",
       R"({"containers":[{"name":"app","env":[{"name":"A","value":"2"}]}]})",
       ".containers[name=app].env[name=A].value: expected \"1\", got \"2\""},
  };
  for (const Case& c : kCases) {
    auto original = ParseJson(*c.original ? c.original : "null");
    auto desired = ParseJson(c.desired);
    auto live = ParseJson(c.live);
    ASSERT_TRUE(original.ok() && desired.ok() && live.ok()) << c.what;
    std::optional<std::string> difference =
        ThreeWayDifference(*c.original ? &*original : nullptr, *desired, *live);
    EXPECT_EQ(difference.value_or(""), c.expected) << c.what;
  }
}

}  // namespace
}  // namespace mm
