#include "core/json.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

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

// RapidJSON's Writer printed -3.0357381203870142e-236 (17 digits) where 16 read back exactly;
// doubles now print as kubectl (Go) prints them: the shortest exact text, plain digits from 1e-6
// to 1e21, an exponent outside; an integral value keeps ".0". Each reads back bit for bit.
TEST(JsonTest, DoublesPrintInTheShortestFormThatReadsBackExactly) {
  const std::vector<std::pair<double, std::string>> cases = {
      {-3.0357381203870142e-236, "-3.035738120387014e-236"},
      {4.2897019377681699e80, "4.28970193776817e+80"},
      {0.1, "0.1"},
      {3.0, "3.0"},
      {-0.0, "-0.0"},
      {1e20, "100000000000000000000.0"},
      {1e21, "1e+21"},
      {0.000001, "0.000001"},
      {1e-7, "1e-7"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
  };
  for (const auto& [number, text] : cases) {
    rapidjson::Document array(rapidjson::kArrayType);
    array.PushBack(rapidjson::Value(number), array.GetAllocator());
    EXPECT_EQ(ToJson(array), "[" + text + "]");
    EXPECT_EQ(ToJson(array, JsonStyle::kPretty), "[\n    " + text + "\n]");
    auto read = ParseJson(ToJson(array));
    ASSERT_TRUE(read.ok()) << text;
    ASSERT_TRUE((*read)[0].IsDouble()) << text;
    double back = (*read)[0].GetDouble();
    EXPECT_EQ(std::memcmp(&back, &number, sizeof back), 0) << text;
  }
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

namespace mm {
namespace {

// ParseJsonInPlace must accept, refuse and read exactly what ParseJson does.
TEST(JsonTest, ParsesInPlaceAsParseJsonDoes) {
  const std::string kDeep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth, ']');
  const std::string kCases[] = {
      R"({"items":[{"a":"x\"y\\u00e9\n","n":-3,"u":4294967296,"d":0.5,"t":true,"z":null}]})",
      R"({"a":"\ud83d\ude00","big":184467440737095516156,"tiny":0e-76})",
      "  [1, 2, {\"k\": []}]  \n",
      std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'),
      kDeep,
      "{\"a\": " + std::string(kMaxJsonDepth * 2, ' ') +
          [] {
            std::string spaced;
            for (int i = 0; i <= kMaxJsonDepth; ++i) spaced += "[ \n";
            return spaced;
          }(),
      "{\"a\":\"" + std::string(5000, '{') + "\"}",
      R"({"a":1,})",
      R"({"a":"unterminated)",
      "{} trailing",
      std::string("{\"a\":\"b\0c\"}", 11),  // a NUL byte in a string
      std::string("{}\0{}", 5),             // a NUL byte after the value
      "",
  };
  for (const std::string& text : kCases) {
    SCOPED_TRACE(text.substr(0, 80));
    auto copied = ParseJson(text, "list");
    std::string buffer = text;
    auto in_place = ParseJsonInPlace(buffer, "list");
    ASSERT_EQ(copied.ok(), in_place.ok());
    if (copied.ok()) {
      EXPECT_EQ(ToJson(*in_place), ToJson(*copied));
    } else {
      EXPECT_EQ(in_place.error().message(), copied.error().message());
    }
  }
}

TEST(JsonTest, ParsesInPlaceWithoutCopyingStrings) {
  std::string text = R"({"name":"demo","escaped":"a\"b"})";
  auto document = ParseJsonInPlace(text);
  ASSERT_TRUE(document.ok());
  const char* name = (*document)["name"].GetString();
  EXPECT_TRUE(name >= text.data() && name < text.data() + text.size());
  EXPECT_EQ(std::string((*document)["escaped"].GetString()), "a\"b");
  EXPECT_EQ(ParseJsonInPlace(text = std::string(100000, '[')).error().message(),
            "JSON: invalid JSON at offset 1000: nested deeper than 1000 levels");
}

}  // namespace
}  // namespace mm
