#include "core/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"

namespace mm {
namespace {

rapidjson::Document Parse(const std::string& json) {
  auto document = ParseJson(json);
  EXPECT_TRUE(document.ok()) << (document.ok() ? "" : document.error().message());
  return document.ok() ? std::move(*document) : rapidjson::Document();
}

// Every way a problem is reported, with the exact path each one names: the path of a nested
// reader is spelled out only then, from its chain of parents.
TEST(JsonReaderTest, ProblemsNameTheirPath) {
  struct Case {
    const char* json;
    const char* root_path;
    void (*read)(const JsonReader&);
    std::vector<std::string> problems;
  };
  const Case kCases[] = {
      {R"({"a":1})",
       "",
       [](const JsonReader& r) { r.String("a"); },
       {"a: expected string, got integer"}},
      {R"({"a":1})",
       "spec",
       [](const JsonReader& r) { r.String("a"); },
       {"spec.a: expected string, got integer"}},
      {R"({"a":{"b":{"c":true}}})",
       "spec",
       [](const JsonReader& r) { r.Object("a").Object("b").Int32("c"); },
       {"spec.a.b.c: expected integer, got boolean"}},
      {R"({"a":{"b":{"c":true}}})",
       "",
       [](const JsonReader& r) { r.Object("a").Object("b").StringView("c"); },
       {"a.b.c: expected string, got boolean"}},
      {R"({"a":{"b":[]}})",
       "",
       [](const JsonReader& r) { r.Object("a").Object("b"); },
       {"a.b: expected object, got array"}},
      // A reader for a missing object is absent, and so are its own children: no problem.
      {R"({})", "", [](const JsonReader& r) { r.Object("a").Object("b").String("c"); }, {}},
      {R"({"h":[{"n":"x"},7,{"n":1}]})",
       "spec",
       [](const JsonReader& r) {
         for (const JsonReader& item : r.Objects("h")) item.String("n");
       },
       {"spec.h[1]: expected object, got integer", "spec.h[2].n: expected string, got integer"}},
      {R"({"a":{"h":[{"o":{"v":"x"}}]}})",
       "",
       [](const JsonReader& r) {
         JsonReader a = r.Object("a");
         for (const JsonReader& item : a.Objects("h")) item.Object("o").Bool("v");
       },
       {"a.h[0].o.v: expected boolean, got string"}},
      {R"({"m":{"k":"v","n":2,"o":null}})",
       "spec",
       [](const JsonReader& r) { r.StringMap("m"); },
       {"spec.m.n: expected string, got integer", "spec.m.o: expected string, got null"}},
      {R"({"l":["a",1,"b",{}]})",
       "spec",
       [](const JsonReader& r) { r.StringList("l"); },
       {"spec.l[1]: expected string, got integer", "spec.l[3]: expected string, got object"}},
      {R"({"i":4294967296})",
       "x",
       [](const JsonReader& r) { r.Int32("i"); },
       {"x.i: value 4294967296 does not fit in int32"}},
      {R"({"i":1.5,"b":"no","a":{},"o":[]})",
       "",
       [](const JsonReader& r) {
         r.Int64("i");
         r.OptionalBool("b");
         r.Array("a");
         r.AnyObject("o");
       },
       {"i: expected integer, got number", "b: expected boolean, got string",
        "a: expected array, got object", "o: expected object, got array"}},
      {R"({"a":{}})",
       "metadata",
       [](const JsonReader& r) { r.Object("a").Problem("name", "required"); },
       {"metadata.a.name: required"}},
      // Keys are copied into messages as they are: escapes, unicode and dots included.
      {R"({"a.b":{"\u00e9\"q":5}})",
       "",
       [](const JsonReader& r) { r.Object("a.b").String("\xc3\xa9\"q"); },
       {"a.b.\xc3\xa9\"q: expected string, got integer"}},
      // An empty root path and empty keys add no leading dot, as before.
      {R"({"":{"":1}})",
       "",
       [](const JsonReader& r) { r.Object("").String(""); },
       {": expected string, got integer"}},
  };
  for (const Case& c : kCases) {
    rapidjson::Document document = Parse(c.json);
    std::vector<std::string> problems;
    c.read(JsonReader(&document, c.root_path, &problems));
    EXPECT_EQ(problems, c.problems) << c.json;
  }
}

TEST(JsonReaderTest, PathSpellsOutTheChain) {
  rapidjson::Document document = Parse(R"({"a":{"h":[{},{"o":{}}]}})");
  std::vector<std::string> problems;
  JsonReader root(&document, "spec", &problems);
  JsonReader a = root.Object("a");
  std::vector<JsonReader> items = a.Objects("h");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(root.path(), "spec");
  EXPECT_EQ(a.path(), "spec.a");
  EXPECT_EQ(items[1].path(), "spec.a.h[1]");
  EXPECT_EQ(items[1].Object("o").path(), "spec.a.h[1].o");
  EXPECT_EQ(JsonReader(&document, "", &problems).Object("a").path(), "a");
  EXPECT_TRUE(problems.empty());
}

// A deep chain of readers spells its whole path (recursion over parents, no depth limit).
TEST(JsonReaderTest, DeepNesting) {
  std::string json;
  for (int i = 0; i < 200; ++i) json += R"({"k":)";
  json += "1";
  for (int i = 0; i < 200; ++i) json += "}";
  rapidjson::Document document = Parse(json);
  std::vector<std::string> problems;
  std::vector<JsonReader> chain{JsonReader(&document, "r", &problems)};
  chain.reserve(200);  // each reader refers to the previous one: no reallocation
  for (int i = 0; i < 199; ++i) chain.push_back(chain.back().Object("k"));
  ASSERT_TRUE(chain.back().present());
  chain.back().String("k");
  std::string expected = "r";
  for (int i = 0; i < 200; ++i) expected += ".k";
  EXPECT_EQ(problems, std::vector<std::string>{expected + ": expected string, got integer"});
}

TEST(JsonReaderTest, StringsAndViews) {
  rapidjson::Document document =
      Parse(R"({"s":"plain","e":"","u":"\u00e9\u4e2d\ud83d\ude00","z":"a\u0000b","n":null,"i":3})");
  std::vector<std::string> problems;
  JsonReader reader(&document, "", &problems);
  EXPECT_EQ(reader.StringView("s"), "plain");
  EXPECT_EQ(reader.StringView("e"), "");
  EXPECT_EQ(reader.StringView("u"), "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80");
  EXPECT_EQ(reader.StringView("z"), std::string_view("a\0b", 3));  // embedded NUL kept
  EXPECT_EQ(reader.String("z"), std::string("a\0b", 3));
  EXPECT_EQ(reader.StringView("n"), "");        // null = absent
  EXPECT_EQ(reader.StringView("missing"), "");  // absent
  EXPECT_EQ(reader.OptionalString("e"), std::optional<std::string>(""));
  EXPECT_EQ(reader.OptionalString("n"), std::nullopt);
  EXPECT_EQ(reader.OptionalString("missing"), std::nullopt);
  EXPECT_TRUE(problems.empty());
  // The view is the document's own characters, not a copy.
  EXPECT_EQ(reader.StringView("s").data(), document["s"].GetString());
  EXPECT_EQ(reader.StringView("i"), "");
  EXPECT_EQ(reader.OptionalString("i"), std::nullopt);
  EXPECT_EQ(problems, (std::vector<std::string>{"i: expected string, got integer",
                                                "i: expected string, got integer"}));
}

TEST(JsonReaderTest, LargeStringAndManyMembers) {
  std::string big(100000, 'x');
  std::string json = "{";
  for (int i = 0; i < 500; ++i) json += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  json += "\"big\":\"" + big + "\"}";
  rapidjson::Document document = Parse(json);
  std::vector<std::string> problems;
  JsonReader reader(&document, "", &problems);
  EXPECT_EQ(reader.StringView("big"), big);
  EXPECT_EQ(reader.Int32("k499"), std::optional<int32_t>(499));
  EXPECT_TRUE(problems.empty());
}

TEST(JsonReaderTest, AbsentRoot) {
  std::vector<std::string> problems;
  JsonReader reader(nullptr, "status", &problems);
  EXPECT_FALSE(reader.present());
  EXPECT_EQ(reader.String("a"), "");
  EXPECT_FALSE(reader.Object("b").present());
  EXPECT_TRUE(reader.Objects("c").empty());
  EXPECT_TRUE(problems.empty());
}

}  // namespace
}  // namespace mm
