#include "core/json.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

TEST(JsonTest, RoundTripKeepsOrderAndTypes) {
  auto document = ParseJson(R"({"b":1,"a":"1","c":[true,null,0.5],"d":{}})");
  ASSERT_TRUE(document.ok()) << document.error().message();
  EXPECT_EQ(ToJson(*document), R"({"b":1,"a":"1","c":[true,null,0.5],"d":{}})");
}

TEST(JsonTest, PrettyUsesFourSpacesLikeKubectl) {
  auto document = ParseJson(R"({"a":{"b":[1]}})");
  ASSERT_TRUE(document.ok());
  EXPECT_EQ(ToJson(*document, JsonStyle::kPretty),
            "{\n    \"a\": {\n        \"b\": [\n            1\n        ]\n    }\n}");
}

TEST(JsonTest, ParseErrorNamesInputAndOffset) {
  auto document = ParseJson(R"({"a": })", "server response");
  ASSERT_FALSE(document.ok());
  EXPECT_EQ(document.error().message(),
            "server response: invalid JSON at offset 6: Invalid value.");
  EXPECT_EQ(document.error().kind(), ErrorKind::kInvalid);
}

TEST(JsonTest, FindMemberAndGetString) {
  auto document = ParseJson(R"({"kind":"Pod","n":3})");
  ASSERT_TRUE(document.ok());
  EXPECT_EQ(GetString(*document, "kind"), "Pod");
  EXPECT_EQ(GetString(*document, "n", "fallback"), "fallback");
  EXPECT_EQ(GetString(*document, "missing"), "");
  EXPECT_EQ(FindMember(*document, "missing"), nullptr);
  ASSERT_NE(FindMember(*document, "n"), nullptr);
  EXPECT_EQ(FindMember(*document, "n")->GetInt(), 3);
}

}  // namespace
}  // namespace mm

namespace mm {
namespace {

TEST(JsonTest, RefusesHostileNestingWithoutCrashing) {
  std::string deep(100000, '[');
  auto document = ParseJson(deep, "server response");
  ASSERT_FALSE(document.ok());
  EXPECT_EQ(document.error().message(),
            "server response: invalid JSON at offset 1000: nested deeper than 1000 levels");
}

TEST(JsonTest, AcceptsNestingUpToTheLimitAndIgnoresBracketsInStrings) {
  std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(at_limit).ok());
  std::string in_string = "{\"a\":\"" + std::string(5000, '{') + "\\\"\"}";
  EXPECT_TRUE(ParseJson(in_string).ok());
}

}  // namespace
}  // namespace mm
