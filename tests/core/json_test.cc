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

TEST(JsonTest, GetStringViewPointsIntoTheObject) {
  auto document = ParseJson(R"({"kind":"Pod","n":3,"empty":"","nul":"a\u0000b"})");
  ASSERT_TRUE(document.ok());
  std::string_view kind = GetStringView(*document, "kind");
  EXPECT_EQ(kind, "Pod");
  EXPECT_EQ(kind.data(), FindMember(*document, "kind")->GetString());
  EXPECT_EQ(GetStringView(*document, "n", "fallback"), "fallback");
  EXPECT_EQ(GetStringView(*document, "missing"), "");
  EXPECT_EQ(GetStringView(*document, "empty", "fallback"), "");
  EXPECT_EQ(GetStringView(*document, "nul"), std::string_view("a\0b", 3));
  rapidjson::Value array(rapidjson::kArrayType);
  EXPECT_EQ(GetStringView(array, "kind", "none"), "none");
}

// SameBytes against memcmp for every size up to past the memcmp threshold (65), with the
// difference at every position: the word loads, their overlap and the byte cases.
TEST(JsonTest, SameBytesAgreesWithMemcmp) {
  std::string a;
  for (size_t i = 0; i < 80; ++i) a += static_cast<char>('a' + i % 26);
  for (size_t size = 0; size <= a.size(); ++size) {
    std::string b = a;
    EXPECT_TRUE(SameBytes(a.data(), b.data(), size)) << size;
    for (size_t at = 0; at < size; ++at) {
      b = a;
      b[at] = static_cast<char>(b[at] ^ 0x80);  // also a byte that is negative as a char
      EXPECT_FALSE(SameBytes(a.data(), b.data(), size)) << size << " " << at;
      // Bytes past `size` do not count.
      EXPECT_TRUE(SameBytes(a.data(), b.data(), at)) << size << " " << at;
    }
  }
}

TEST(JsonTest, SameTextComparesWholeStrings) {
  struct Case {
    std::string string;
    std::string text;
    bool same;
  };
  const Case kCases[] = {
      {"", "", true},
      {"a", "", false},
      {"", "a", false},
      {"name", "name", true},
      {"name", "namespace", false},
      {"namespace", "name", false},
      {"names", "namer", false},
      {"xame", "name", false},
      {"caf\u00e9", "caf\u00e9", true},
      {"caf\u00e9", "cafe\u0301", false},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {std::string(1000, 'x'), std::string(1000, 'x'), true},
      {std::string(1000, 'x'), std::string(999, 'x') + "y", false},
  };
  for (const Case& c : kCases) {
    rapidjson::Value string(rapidjson::StringRef(c.string.data(), c.string.size()));
    EXPECT_EQ(SameText(string, c.text), c.same) << c.string << " / " << c.text;
    EXPECT_EQ(TextOf(string), c.string);
  }
}

// FindMemberNear finds what FindMember finds, whatever the hint, and moves the hint past it.
TEST(JsonTest, FindMemberNearStartsAtTheHint) {
  struct Case {
    const char* what;
    const char* object;
    const char* name;
    rapidjson::SizeType hint;
    const char* expected;  // the member's value as JSON, "" = not found
    rapidjson::SizeType hint_after;
  };
  const Case kCases[] = {
      {"at the hint", R"({"a":1,"b":2,"c":3})", "b", 1, "2", 2},
      {"after the hint", R"({"a":1,"b":2,"c":3})", "c", 1, "3", 3},
      {"before the hint: wraps around", R"({"a":1,"b":2,"c":3})", "a", 2, "1", 1},
      {"hint at the end", R"({"a":1,"b":2,"c":3})", "a", 3, "1", 1},
      {"hint past the end", R"({"a":1,"b":2,"c":3})", "c", 7, "3", 3},
      {"missing: hint unchanged", R"({"a":1,"b":2,"c":3})", "d", 1, "", 1},
      {"a prefix is not the name", R"({"name":1,"namespace":2})", "names", 0, "", 0},
      {"same length and first byte", R"({"kind":1,"kine":2})", "kine", 0, "2", 2},
      {"empty object", R"({})", "a", 0, "", 0},
      {"empty name", R"({"":5,"a":1})", "", 1, "5", 1},
      {"duplicates: the first from the hint", R"({"a":1,"b":2,"a":3})", "a", 1, "3", 3},
      {"duplicates: the first from 0", R"({"a":1,"b":2,"a":3})", "a", 0, "1", 1},
      {"unicode names", R"({"\u00e9t\u00e9":1,"\u00e9":2})", "\u00e9", 0, "2", 2},
      {"escaped names", R"({"a\"b":1,"a\\b":2})", "a\\b", 0, "2", 2},
      {"not an object", R"([{"a":1}])", "a", 0, "", 0},
  };
  for (const Case& c : kCases) {
    auto document = ParseJson(c.object);
    ASSERT_TRUE(document.ok()) << c.what;
    rapidjson::SizeType hint = c.hint;
    const rapidjson::Value* found = FindMemberNear(*document, c.name, hint);
    EXPECT_EQ(found ? ToJson(*found) : "", c.expected) << c.what;
    EXPECT_EQ(hint, c.hint_after) << c.what;
  }
}

// Members read in the order they were written cost one comparison each; a large object read in
// reverse is still found whole.
TEST(JsonTest, FindMemberNearReadsLargeObjectsInAnyOrder) {
  rapidjson::Document document(rapidjson::kObjectType);
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) names.push_back("member-" + std::to_string(i));
  for (int i = 0; i < 2000; ++i) {
    document.AddMember(rapidjson::StringRef(names[i].data(), names[i].size()), i,
                       document.GetAllocator());
  }
  rapidjson::SizeType hint = 0;
  for (int i = 0; i < 2000; ++i) {
    const rapidjson::Value* found = FindMemberNear(document, names[i], hint);
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(found->GetInt(), i);
    EXPECT_EQ(hint, static_cast<rapidjson::SizeType>(i + 1));
  }
  for (int i = 1999; i >= 0; --i) {
    const rapidjson::Value* found = FindMemberNear(document, names[i], hint);
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(found->GetInt(), i);
  }
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
