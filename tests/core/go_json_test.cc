// GoCanonicalJson: objectmatcher's DeleteNullInJson followed by Go's JSON encoder. The expected
// texts follow from the rules in go_json.h (k8s-objectmatcher v1.8.0 patch/deletenull.go and Go's
// encoding/json escaping), written by hand.
#include "core/go_json.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

std::string Canonical(std::string_view json) { return GoCanonicalJson(*ParseJson(json)); }

TEST(GoJsonTest, CleansAndSortsLikeObjectmatcher) {
  const std::pair<const char*, const char*> kCases[] = {
      // Keys sorted bytewise (upper case first), at every level.
      {R"({"b":1,"a":{"z":true,"Y":false}})", R"({"a":{"Y":false,"z":true},"b":1})"},
      // null and "" members dropped; false, 0, [] and {} kept.
      {R"({"a":null,"b":"","c":false,"d":0,"e":[],"f":{}})", R"({"c":false,"d":0,"e":[],"f":{}})"},
      // An object emptied by the cleaning is dropped; one that was empty stays.
      {R"({"metadata":{"creationTimestamp":null},"status":{}})", R"({"status":{}})"},
      {R"({"s":{"loadBalancer":{}}})", R"({"s":{"loadBalancer":{}}})"},
      // Array elements are never dropped; objects inside are cleaned but kept even when empty.
      {R"({"l":[null,"",{"a":null},{"b":"x","c":""}]})", R"({"l":[null,"",{},{"b":"x"}]})"},
      {R"([3,-1,1.5])", R"([3,-1,1.5])"},
  };
  for (const auto& [input, expected] : kCases) EXPECT_EQ(Canonical(input), expected) << input;
}

TEST(GoJsonTest, EscapesStringsLikeGo) {
  EXPECT_EQ(Canonical(R"({"v":"a<b>&c"})"), R"({"v":"a\u003cb\u003e\u0026c"})");
  EXPECT_EQ(Canonical(R"({"v":"q\"\\ \n\r\t\b\f\u0001"})"),
            R"({"v":"q\"\\ \n\r\t\u0008\u000c\u0001"})");
  EXPECT_EQ(Canonical("{\"v\":\"\xe2\x80\xa8\xe2\x80\xa9 \xc3\xa9 \xf0\x9f\x98\x80\"}"),
            "{\"v\":\"\\u2028\\u2029 \xc3\xa9 \xf0\x9f\x98\x80\"}");
  rapidjson::Document invalid;
  invalid.SetObject();
  invalid.AddMember("v",
                    rapidjson::StringRef("a\xff"
                                         "b"),
                    invalid.GetAllocator());
  EXPECT_EQ(GoCanonicalJson(invalid), R"({"v":"a\ufffdb"})");
}

TEST(GoJsonTest, KeepsMembersAndEmptyStructs) {
  EXPECT_FALSE(GoKeepsMember(*ParseJson("null")));
  EXPECT_FALSE(GoKeepsMember(*ParseJson(R"("")")));
  EXPECT_FALSE(GoKeepsMember(*ParseJson(R"({"a":{"b":null}})")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson("false")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson("{}")));
  EXPECT_TRUE(IsEmptyStructs(*ParseJson(R"({"loadBalancer":{},"x":null})")));
  EXPECT_FALSE(IsEmptyStructs(*ParseJson(R"({"availableReplicas":0})")));
  EXPECT_FALSE(IsEmptyStructs(*ParseJson("[]")));
}

}  // namespace
}  // namespace mm
