#include "core/yaml.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

std::string YamlToJson(std::string_view yaml) {
  auto documents = ParseYamlDocuments(yaml, "test.yaml");
  if (!documents) return "ERROR: " + documents.error().message();
  std::string out;
  for (const auto& document : *documents) out += ToJson(document) + "\n";
  return out;
}

TEST(YamlParseTest, ResolvesScalarsLikeKubectl) {
  struct Case {
    std::string yaml;
    std::string json;
  };
  const Case cases[] = {
      {"replicas: 0", R"({"replicas":0})"
                      "\n"},
      {"port: \"8065\"", R"({"port":"8065"})"
                         "\n"},
      {"port: '8065'", R"({"port":"8065"})"
                       "\n"},
      {"a: yes\nb: off\nc: ~\nd: null\ne:", R"({"a":true,"b":false,"c":null,"d":null,"e":null})"
                                            "\n"},
      {"v: 10.8.1\nw: 1.5\nx: 0x1F\ny: -7\nz: 1_000",
       R"({"v":"10.8.1","w":1.5,"x":31,"y":-7,"z":1000})"
       "\n"},
      {"size: 1000users\nq: 500m", R"({"size":"1000users","q":"500m"})"
                                   "\n"},
      {"list:\n- a\n- 1\n- {k: v}", R"({"list":["a",1,{"k":"v"}]})"
                                    "\n"},
      {"s: !!str 12", R"({"s":"12"})"
                      "\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(YamlToJson(c.yaml), c.json) << c.yaml;
}

TEST(YamlParseTest, SplitsDocumentsAndSkipsEmptyOnes) {
  EXPECT_EQ(YamlToJson("---\na: 1\n---\n# only a comment\n---\nb: 2\n"), "{\"a\":1}\n{\"b\":2}\n");
}

TEST(YamlParseTest, ReadsJsonToo) {
  EXPECT_EQ(YamlToJson(R"({"kind": "List", "items": [1, "2"]})"),
            R"({"kind":"List","items":[1,"2"]})"
            "\n");
}

TEST(YamlParseTest, KeysKeepTheirNulBytes) {
  // Two keys that differ only after a NUL are two keys (fuzz.parsers found them merged into "d").
  EXPECT_EQ(YamlToJson("{\"d\\0x\": 1, \"d\\0y\": 2}"), R"({"d\u0000x":1,"d\u0000y":2})"
                                                        "\n");
}

TEST(YamlParseTest, ErrorsNameFileLineAndProblem) {
  EXPECT_EQ(YamlToJson("a: 1\nb: [1, 2\n"),
            "ERROR: test.yaml: line 3, column 1: end of sequence flow not found");
  EXPECT_EQ(YamlToJson("a: 1\na: 2\n"),
            "ERROR: test.yaml: line 2, column 1: mapping key \"a\" already defined");
}

std::string JsonToYaml(std::string_view json) {
  auto document = ParseJson(json);
  EXPECT_TRUE(document.ok());
  return ToYaml(*document);
}

TEST(YamlEmitTest, PrintsKubectlLayout) {
  EXPECT_EQ(JsonToYaml(R"({"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"a",)"
                       R"("labels":{}},"spec":{"ports":[8065,8067]}}],"empty":[]})"),
            "apiVersion: v1\n"
            "kind: List\n"
            "items:\n"
            "- metadata:\n"
            "    name: a\n"
            "    labels: {}\n"
            "  spec:\n"
            "    ports:\n"
            "    - 8065\n"
            "    - 8067\n"
            "empty: []\n");
}

TEST(YamlEmitTest, QuotesStringsThatWouldChangeType) {
  EXPECT_EQ(JsonToYaml(R"({"a":"8065","b":"true","c":"","d":"yes","e":"null","f":"10.8.1",)"
                       R"("g":"1.5","h":"- x","i":"a: b","j":"plain text","k":8065})"),
            "a: \"8065\"\nb: \"true\"\nc: \"\"\nd: \"yes\"\ne: \"null\"\nf: 10.8.1\n"
            "g: \"1.5\"\nh: \"- x\"\ni: \"a: b\"\nj: plain text\nk: 8065\n");
}

TEST(YamlEmitTest, MultiLineStringsUseLiteralBlocks) {
  EXPECT_EQ(JsonToYaml(R"({"script":"line one\nline two\n","key":"a\nb"})"),
            "script: |\n  line one\n  line two\nkey: |-\n  a\n  b\n");
}

TEST(YamlEmitTest, RoundTripsThroughTheParser) {
  const std::string json =
      R"({"a":[[1,2],[{"b":"c"}]],"s":"x\n y\n","n":null,"t":false,"q":"0o17","e":"x #y"})";
  auto documents = ParseYamlDocuments(JsonToYaml(json), "emitted");
  ASSERT_TRUE(documents.ok()) << documents.error().message();
  ASSERT_EQ(documents->size(), 1u);
  EXPECT_EQ(ToJson((*documents)[0]), json);
}

TEST(YamlEmitTest, KeysLongerThanYamlsImplicitLimitAreExplicit) {
  // YAML allows an implicit key of at most 1024 characters (found by manifest_fuzzer).
  const std::string key(1100, 'k');
  const std::string json =
      R"({"a":{")" + key + R"(":{"b":1},"c":2},"l":[{")" + key + R"(":[1]}],")" + key + R"(":"v"})";
  std::string yaml = JsonToYaml(json);
  EXPECT_NE(yaml.find("  ? " + key + "\n  :\n"), std::string::npos) << yaml;
  auto documents = ParseYamlDocuments(yaml, "emitted");
  ASSERT_TRUE(documents.ok()) << documents.error().message();
  ASSERT_EQ(documents->size(), 1u);
  EXPECT_EQ(ToJson((*documents)[0]), json);
}

}  // namespace
}  // namespace mm

namespace mm {
namespace {

// yaml-cpp 0.7's LoadAll loops forever, allocating, on these (found by manifest_fuzzer): without
// the progress check this test never finishes.
TEST(YamlParseTest, RefusesADocumentThatStartsOnAStrayToken) {
  EXPECT_EQ(YamlToJson("[[]],"),
            "ERROR: test.yaml: line 1, column 5: did not find expected node content");
  EXPECT_EQ(YamlToJson(","),
            "ERROR: test.yaml: line 1, column 1: did not find expected node content");
  EXPECT_EQ(YamlToJson("kind: List\n---\n{a: {b: c}}, d\n"),
            "ERROR: test.yaml: line 3, column 12: did not find expected node content");
  EXPECT_EQ(YamlToJson(R"({"metadata":{"name":"a"}},"spec":{}})"),
            "ERROR: test.yaml: line 1, column 26: did not find expected node content");
  // Documents that each consume their start are untouched, however many there are.
  EXPECT_EQ(YamlToJson("---\n---\n---\na: 1\n"), "{\"a\":1}\n");
}

TEST(YamlParseTest, RefusesHostileFlowNesting) {
  EXPECT_EQ(YamlToJson("a: " + std::string(50000, '[')),
            "ERROR: test.yaml: nested deeper than 1000 levels at byte 1003");
}

}  // namespace
}  // namespace mm
