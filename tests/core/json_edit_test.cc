// JsonEdit: the same edits applied to a copy (ApplyJsonEdits) and on the fly while serializing
// (GoCanonicalJson(value, edits)) give the same text, including where Go's cleaning and the
// edits meet (an object emptied by an edit, a member an edit adds as "" or null).
#include "core/json_edit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/go_json.h"
#include "core/json.h"
#include "core/json_copy.h"

namespace mm {
namespace {

using Action = JsonEdit::Action;

// The text of `json` edited both ways; fails the test when they differ.
std::string Edited(const std::string& json, std::span<const JsonEdit> edits) {
  rapidjson::Document source = *ParseJson(json);
  rapidjson::Document copy;
  CopyInto(copy, source);
  ApplyJsonEdits(copy, edits, copy.GetAllocator());
  std::string on_the_fly = GoCanonicalJson(source, edits);
  EXPECT_EQ(on_the_fly, GoCanonicalJson(copy)) << json;
  return on_the_fly;
}

TEST(JsonEditTest, RemovesSetsAndAddsMembers) {
  const JsonEdit edits[] = {{"kind", Action::kRemove},
                            {"zero", Action::kRemoveZero},
                            {"zero_text", Action::kRemoveZero},
                            {"one", Action::kRemoveZero},
                            {"namespace", Action::kString, {}, "ns"},
                            {"added", Action::kString, {}, "new"},
                            {"empty", Action::kString, {}, ""},
                            {"count", Action::kZeroIfAbsent},
                            {"kept", Action::kZeroIfAbsent}};
  EXPECT_EQ(Edited(R"({"kind":"K","zero":0,"zero_text":"0","one":1,"namespace":"old","kept":7,)"
                   R"("z":null})",
                   edits),
            R"({"added":"new","count":0,"kept":7,"namespace":"ns","one":1})");
  EXPECT_EQ(Edited(R"({})", edits), R"({"added":"new","count":0,"kept":0,"namespace":"ns"})");
}

TEST(JsonEditTest, EnsuresObjectsAndEditsInsideThem) {
  const JsonEdit load_balancer[] = {{"loadBalancer", Action::kObject}};
  const JsonEdit resources[] = {{"resources", Action::kObject}, {"drop", Action::kRemove}};
  const JsonEdit edits[] = {{"status", Action::kObject, load_balancer},
                            {"spec", Action::kInObject, resources},
                            {"containers", Action::kEachObject, resources},
                            {"other", Action::kInObject, resources}};
  EXPECT_EQ(Edited(R"({"spec":{"drop":1,"keep":2},"containers":[{"name":"a","resources":null},)"
                   R"({"name":"b","resources":{"limits":{"cpu":"1"}}},"text",null,{}],)"
                   R"("other":"not an object"})",
                   edits),
            R"({"containers":[{"name":"a","resources":{}},{"name":"b","resources":)"
            R"({"limits":{"cpu":"1"}}},"text",null,{"resources":{}}],"other":"not an object",)"
            R"("spec":{"keep":2,"resources":{}},"status":{"loadBalancer":{}}})");
  // A member that is not an object becomes an empty one, then is edited.
  EXPECT_EQ(Edited(R"({"status":"up","containers":"none"})", edits),
            R"({"containers":"none","status":{"loadBalancer":{}}})");
}

// An object the edits empty is left out by kPruneEmptied; an object left with members that the
// cleaning drops is dropped by the cleaning, and its parent then counts it as a member.
TEST(JsonEditTest, PrunesEmptiedObjectsAsTheCopyWould) {
  const JsonEdit last_applied[] = {{"last", Action::kRemove}};
  const JsonEdit metadata[] = {{"annotations", Action::kPruneEmptied, last_applied}};
  const JsonEdit edits[] = {{"metadata", Action::kObject, metadata}};
  EXPECT_EQ(Edited(R"({"metadata":{"annotations":{"last":"x"}}})", edits), R"({"metadata":{}})");
  EXPECT_EQ(Edited(R"({"metadata":{"annotations":{"last":"x","a":""}}})", edits), R"({})");
  EXPECT_EQ(Edited(R"({"metadata":{"annotations":{}}})", edits), R"({"metadata":{}})");
  EXPECT_EQ(Edited(R"({"metadata":{"annotations":{"last":"x","a":"b"},"name":"n"}})", edits),
            R"({"metadata":{"annotations":{"a":"b"},"name":"n"}})");
  EXPECT_EQ(Edited(R"({"metadata":{"annotations":"text"}})", edits),
            R"({"metadata":{"annotations":"text"}})");
  EXPECT_EQ(Edited(R"({"metadata":{"name":"n","annotations":{"last":"x"},"labels":{}}})", edits),
            R"({"metadata":{"labels":{},"name":"n"}})");
  EXPECT_EQ(Edited(R"({})", edits), R"({"metadata":{}})");
}

// More members and edits than fit the serializer's stack arrays.
TEST(JsonEditTest, EditsLargeObjects) {
  std::string json = "{";
  for (int i = 0; i < 40; ++i) json += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":" + "0";
  json += "}";
  std::vector<std::string> names;  // the edits refer to them
  for (int i = 0; i < 40; i += 2) names.push_back("m" + std::to_string(i));
  for (int i = 0; i < 70; ++i) names.push_back("a" + std::to_string(i));
  std::vector<JsonEdit> edits;
  for (size_t i = 0; i < names.size(); ++i) {
    edits.push_back({names[i], i < 20 ? Action::kRemoveZero : Action::kObject});
  }
  std::string text = Edited(json, edits);
  EXPECT_EQ(text.find("\"m0\""), std::string::npos);
  EXPECT_NE(text.find("\"m1\":0"), std::string::npos);
  EXPECT_NE(text.find("\"a69\":{}"), std::string::npos);
}

TEST(JsonEditTest, FindsEditsAndZeroes) {
  const JsonEdit edits[] = {{"a", Action::kRemove}, {"b", Action::kObject}};
  EXPECT_EQ(FindJsonEdit(edits, "b"), &edits[1]);
  EXPECT_EQ(FindJsonEdit(edits, "c"), nullptr);
  rapidjson::Document values = *ParseJson(R"([0,"0",1,"",null,0.0])");
  EXPECT_TRUE(IsZeroIntOrString(&values[0]));
  EXPECT_TRUE(IsZeroIntOrString(&values[1]));
  EXPECT_FALSE(IsZeroIntOrString(&values[2]));
  EXPECT_FALSE(IsZeroIntOrString(&values[3]));
  EXPECT_FALSE(IsZeroIntOrString(&values[4]));
  EXPECT_FALSE(IsZeroIntOrString(nullptr));
}

}  // namespace
}  // namespace mm
