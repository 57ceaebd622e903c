#include "tests/sandbox/patch.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox {
namespace {

std::string Patched(const char* target, const char* patch) {
  auto t = mm::ParseJson(target);
  auto p = mm::ParseJson(patch);
  auto out = ApplyStrategicMergePatch(*t, *p, nullptr);
  return out ? Dump(*out) : "error: " + out.error().message();
}

TEST(JsonPatchTest, AppliesEveryOperation) {
  auto target = mm::ParseJson(R"({"a":{"b":1},"list":[1,2,3]})");
  auto ops = mm::ParseJson(R"([
    {"op":"add","path":"/a/c","value":"x"},
    {"op":"replace","path":"/a/b","value":2},
    {"op":"remove","path":"/list/0"},
    {"op":"add","path":"/list/-","value":4},
    {"op":"add","path":"/list/1","value":9},
    {"op":"copy","from":"/a/b","path":"/copied"},
    {"op":"move","from":"/a/c","path":"/moved"},
    {"op":"test","path":"/a/b","value":2},
    {"op":"add","path":"/k~1x~0y","value":true}])");
  auto out = ApplyJsonPatch(*target, *ops);
  ASSERT_TRUE(out) << out.error().message();
  EXPECT_EQ(Dump(*out), R"({"a":{"b":2},"list":[2,9,3,4],"copied":2,"moved":"x","k/x~y":true})");
}

TEST(JsonPatchTest, FailedOperationIs422) {
  auto target = mm::ParseJson(R"({"a":1})");
  auto ops = mm::ParseJson(R"([{"op":"replace","path":"/b","value":2}])");
  auto out = ApplyJsonPatch(*target, *ops);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().status()->code, 422);
  EXPECT_EQ(out.error().status()->message,
            "replace operation does not apply: doc is missing key: /b: missing value");
}

TEST(MergePatchTest, NullDeletesAndArraysReplace) {
  auto target = mm::ParseJson(R"({"a":{"b":1,"c":2},"l":[1,2]})");
  auto patch = mm::ParseJson(R"({"a":{"b":null,"d":{"e":3}},"l":[3]})");
  EXPECT_EQ(Dump(ApplyMergePatch(*target, *patch)), R"({"a":{"c":2,"d":{"e":3}},"l":[3]})");
}

TEST(StrategicMergePatchTest, MergesListsByKey) {
  struct Case {
    const char* name;
    const char* target;
    const char* patch;
    const char* want;
  };
  const Case cases[] = {
      {"containers merge by name",
       R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}})",
       R"({"spec":{"containers":[{"name":"b","image":"z"},{"name":"c","image":"w"}]}})",
       R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"z"},{"name":"c","image":"w"}]}})"},
      {"$patch delete removes an element", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
       R"({"spec":{"containers":[{"name":"a","$patch":"delete"}]}})",
       R"({"spec":{"containers":[{"name":"b"}]}})"},
      {"$setElementOrder reorders", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}})",
       R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})"},
      {"container ports merge by containerPort",
       R"({"containers":[{"name":"c","ports":[{"containerPort":80},{"containerPort":443}]}]})",
       R"({"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"}]}]})",
       R"({"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]})"},
      {"env and volumeMounts merge by their keys",
       R"({"containers":[{"name":"c","env":[{"name":"A","value":"1"}],"volumeMounts":[{"mountPath":"/a","name":"v"}]}]})",
       R"({"containers":[{"name":"c","env":[{"name":"B","value":"2"}],"volumeMounts":[{"mountPath":"/a","name":"w"}]}]})",
       R"({"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"volumeMounts":[{"mountPath":"/a","name":"w"}]}]})"},
      {"tolerations are atomic (no patchMergeKey in Kubernetes)",
       R"({"spec":{"tolerations":[{"key":"a"}]}})", R"({"spec":{"tolerations":[{"key":"b"}]}})",
       R"({"spec":{"tolerations":[{"key":"b"}]}})"},
      {"finalizers merge as a set, $deleteFromPrimitiveList removes",
       R"({"metadata":{"finalizers":["a","b"]}})",
       R"({"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]}})",
       R"({"metadata":{"finalizers":["b","c"]}})"},
      {"$patch replace on a map", R"({"spec":{"selector":{"a":"1","b":"2"}}})",
       R"({"spec":{"selector":{"$patch":"replace","c":"3"}}})",
       R"({"spec":{"selector":{"c":"3"}}})"},
      {"$retainKeys drops unlisted keys",
       R"({"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}})",
       R"({"strategy":{"$retainKeys":["type"],"type":"Recreate"}})",
       R"({"strategy":{"type":"Recreate"}})"},
      {"null deletes", R"({"a":1,"b":2})", R"({"a":null})", R"({"b":2})"},
      {"missing merge key is an error", R"({"spec":{"containers":[]}})",
       R"({"spec":{"containers":[{"image":"x"}]}})",
       R"(error: map: {"image":"x"} does not contain declared merge key: name)"},
  };
  for (const Case& c : cases) EXPECT_EQ(Patched(c.target, c.patch), c.want) << c.name;
}

}  // namespace
}  // namespace sandbox
