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

// RapidJSON 1.1's own full-precision parsing reads 0e-76 as 1.6e237 and 184467440737095516156 as
// -2.0e264 (found by json_fuzzer): numbers are converted by ParseJson itself, types kept.
TEST(JsonTest, NumbersAreExactWithTheReadersTypes) {
  auto document =
      ParseJson(R"([0e-76,-0e-23,0.00000000000000000000000000,184467440737095516156,1e-76,0.1,)"
                R"(-0,-2147483648,4294967295,18446744073709551615,)"
                R"(-9223372036854775808,1e-400,-1e-400,"0e-76"])");
  ASSERT_TRUE(document.ok()) << document.error().message();
  EXPECT_EQ(ToJson(*document),
            R"([0.0,-0.0,0.0,184467440737095500000.0,1e-76,0.1,0,-2147483648,)"
            R"(4294967295,18446744073709551615,-9223372036854775808,0.0,-0.0,"0e-76"])");
  const rapidjson::Value& items = *document;
  EXPECT_TRUE(items[6].IsInt());
  EXPECT_TRUE(items[8].IsUint() && !items[8].IsInt());
  EXPECT_TRUE(items[9].IsUint64() && !items[9].IsInt64());
  EXPECT_TRUE(items[10].IsInt64() && !items[10].IsInt());
  EXPECT_TRUE(items[3].IsDouble());
  EXPECT_EQ(items[3].GetDouble(), 1.8446744073709552e20);  // the Writer prints 16 digits
  EXPECT_TRUE(items[0].IsDouble());
  auto too_big = ParseJson("[1e400]", "t");
  EXPECT_FALSE(too_big.ok());
  auto broken = ParseJson(R"([0e-76, x])", "t");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message(), "t: invalid JSON at offset 8: Invalid value.");
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
