// GoCanonicalJson: objectmatcher's DeleteNullInJson followed by Go's JSON encoder. The expected
// texts follow from the rules in go_json.h (k8s-objectmatcher v1.8.0 patch/deletenull.go and Go's
// encoding/json escaping), written by hand.
#include "core/go_json.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "core/go_string.h"
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
      // Emptied in turn at every level, between kept members.
      {R"({"z":1,"a":{"b":{"c":null,"d":""}},"m":{"n":{}}})", R"({"m":{"n":{}},"z":1})"},
      {R"({"a":{"b":{"c":null}}})", R"({})"},
  };
  for (const auto& [input, expected] : kCases) EXPECT_EQ(Canonical(input), expected) << input;
}

// More members than fit the serializer's stack buffer: k99 ... k0 in, bytewise order out (k0 k1
// k10 ... k19 k2 k20 ...), the null k50 dropped.
TEST(GoJsonTest, SortsObjectsOfManyMembers) {
  std::string input = "{";
  std::set<std::string> kept;
  for (int i = 99; i >= 0; --i) {
    std::string key = "k" + std::to_string(i);
    input += (i < 99 ? ",\"" : "\"") + key + "\":" + (i == 50 ? "null" : "1");
    if (i != 50) kept.insert(key);
  }
  std::string expected = "{";
  for (const std::string& key : kept)
    expected += (expected.size() > 1 ? ",\"" : "\"") + key + "\":1";
  EXPECT_EQ(Canonical(input + "}"), expected + "}");
}

// Objects of up to 32 members are collected on the stack, larger ones not: at the boundary, a null,
// an empty string and an object the cleaning empties are dropped all the same, and an object
// that was empty is kept.
TEST(GoJsonTest, CleansObjectsAroundTheStackBoundary) {
  for (int size : {30, 31, 32, 33, 34}) {
    std::string input = R"({"n":null,"s":"","e":{"x":null},"k":{})";
    std::string expected = R"({"k":{})";
    std::set<std::string> kept;
    for (int i = 4; i < size; ++i) kept.insert("m" + std::to_string(i));
    for (const std::string& key : kept) {
      input += ",\"" + key + "\":1";
      expected += ",\"" + key + "\":1";
    }
    EXPECT_EQ(Canonical(input + "}"), expected + "}") << size;
  }
}

// The text starts in a 4 KiB buffer and moves to the heap as it grows: records of 15 KB (many
// members, an emptied object taken back past the first move) and of one 100 KB string (one
// reservation larger than twice the room) come out whole.
TEST(GoJsonTest, WritesRecordsLargerThanItsFirstBuffer) {
  std::map<std::string, std::string> members;
  for (int i = 0; i < 500; ++i) {
    members["k" + std::to_string(1000 + i)] = "value-" + std::to_string(i) + std::string(20, 'v');
  }
  std::string input = R"({"k1250x":{"gone":null})";
  std::string expected = "{";
  for (const auto& [name, value] : members) {
    input += ",\"" + name + "\":\"" + value + "\"";
    expected += (expected.size() > 1 ? ",\"" : "\"") + name + "\":\"" + value + "\"";
  }
  std::string written = Canonical(input + "}");
  EXPECT_GT(written.size(), 15000u);
  EXPECT_EQ(written, expected + "}");
  std::string large(100000, 'x');
  large[50000] = '<';
  std::string escaped = large.substr(0, 50000) + "\\u003c" + large.substr(50001);
  EXPECT_EQ(Canonical(R"({"a":")" + large + R"(","b":1})"), R"({"a":")" + escaped + R"(","b":1})");
}

// Names are ordered by their first 8 bytes at once, then by the rest: names that share those 8
// bytes, a prefix of another, one with a NUL where another ends (equal once zero-padded), and
// bytes from 0x80 (after ASCII: bytewise, unsigned).
TEST(GoJsonTest, SortsNamesSharingTheirFirstEightBytes) {
  EXPECT_EQ(Canonical(R"({"abcdefghB":1,"\u00e9":2,"abcdefgh":3,"ab\u0000":4,"abcdefghA":5,)"
                      R"("ab":6,"abcdefgi":7,"Z":8})"),
            "{\"Z\":8,\"ab\":6,\"ab\\u0000\":4,\"abcdefgh\":3,\"abcdefghA\":5,\"abcdefghB\":1,"
            "\"abcdefgi\":7,\"\u00e9\":2}");
}

// Names of every length from 0 to 10 (their first 8 bytes are read in pieces that depend on the
// length), differing in every byte, in objects small and large (sorted by insertion or not), come
// out in bytewise order, the order of std::set<std::string>.
TEST(GoJsonTest, SortsNamesOfEveryLength) {
  std::vector<std::string> names;
  for (size_t length = 0; length <= 10; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (char c : {'a', 'b', 'Z', '\x7f'}) {
        std::string name(length, 'm');
        name[at] = c;
        names.push_back(name);
      }
    }
  }
  names.push_back("");
  for (size_t step : {1, 7, 13}) {
    for (size_t size : {2, 5, 16, 17, 40, 400}) {
      rapidjson::Document object;
      object.SetObject();
      std::set<std::string> sorted;
      for (size_t i = 0; i < size; ++i) {
        const std::string& name = names[(i * step * 31 + size) % names.size()];
        if (!sorted.insert(name).second) continue;
        object.AddMember(rapidjson::StringRef(name.data(), name.size()), 1, object.GetAllocator());
      }
      std::string expected = "{";
      for (const std::string& name : sorted) {
        expected += (expected.size() > 1 ? "," : "") + GoQuoted(name) + ":1";
      }
      EXPECT_EQ(GoCanonicalJson(object), expected + "}") << size << " names, step " << step;
    }
  }
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

// The serializer copies plain text 8 bytes at a time: each byte Go escapes (or an invalid or a
// multi-byte UTF-8 sequence) at every offset of a 24-byte string is found all the same.
TEST(GoJsonTest, EscapesAtEveryOffsetOfLongStrings) {
  const std::pair<std::string, std::string> kSpecial[] = {
      {"\"", "\\\""},   {"\\", "\\\\"},      {"<", "\\u003c"},         {">", "\\u003e"},
      {"&", "\\u0026"}, {"\n", "\\n"},       {"\x01", "\\u0001"},      {"\x1f", "\\u001f"},
      {"\x7f", "\x7f"}, {"\xff", "\\ufffd"}, {"\xc3\xa9", "\xc3\xa9"}, {"\xe2\x80\xa8", "\\u2028"},
      {"~", "~"}};
  for (const auto& [special, escaped] : kSpecial) {
    for (size_t offset = 0; offset <= 24; ++offset) {
      std::string text = std::string(offset, 'a') + special + std::string(24 - offset, 'b');
      rapidjson::Document value;
      value.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()),
                      value.GetAllocator());
      EXPECT_EQ(GoCanonicalJson(value),
                "\"" + std::string(offset, 'a') + escaped + std::string(24 - offset, 'b') + "\"")
          << "offset " << offset << " of " << escaped;
    }
  }
}

TEST(GoJsonTest, KeepsMembersAndEmptyStructs) {
  EXPECT_FALSE(GoKeepsMember(*ParseJson("null")));
  EXPECT_FALSE(GoKeepsMember(*ParseJson(R"("")")));
  EXPECT_FALSE(GoKeepsMember(*ParseJson(R"({"a":{"b":null}})")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson("false")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson("{}")));
  // Inline for what is not an object: 0, "0", [] and [null] are kept.
  EXPECT_TRUE(GoKeepsMember(*ParseJson("0")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson(R"("0")")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson("[]")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson("[null]")));
  // Objects: kept when empty or when a member is, at any depth.
  EXPECT_TRUE(GoKeepsMember(*ParseJson(R"({"a":{}})")));
  EXPECT_TRUE(GoKeepsMember(*ParseJson(R"({"a":null,"b":{"c":""},"d":[]})")));
  EXPECT_FALSE(GoKeepsMember(*ParseJson(R"({"a":null,"b":{"c":"","d":{"e":null}}})")));
  EXPECT_TRUE(IsEmptyStructs(*ParseJson(R"({"loadBalancer":{},"x":null})")));
  EXPECT_FALSE(IsEmptyStructs(*ParseJson(R"({"availableReplicas":0})")));
  EXPECT_FALSE(IsEmptyStructs(*ParseJson("[]")));
}

}  // namespace
}  // namespace mm
