// EnvEntry builders: the entry's name is a view of the text in its EnvVar object (no copy of a
// literal, one copy of other text), and MergeEnv merges a user's []EnvVar as the operator does.
#include "core/mattermost/env.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace mm {
namespace {

std::string Text(const Json& json) { return ToJson(json.BuildDocument()); }

std::string Names(const std::vector<EnvEntry>& env) {
  std::string names;
  for (const EnvEntry& entry : env) names += std::string(entry.name) + " ";
  return names;
}

TEST(EnvTest, PlainEnvLeavesAnEmptyValueOutAndNamesItsObject) {
  struct Case {
    std::string name;
    std::string value;
    const char* expected;
  };
  const Case kCases[] = {
      {"A", "1", R"({"name":"A","value":"1"})"},
      {"EMPTY", "", R"({"name":"EMPTY"})"},
      {"QUOTED", "say \"hi\"\n", R"({"name":"QUOTED","value":"say \"hi\"\n"})"},
      {"UNICODE_\xc3\xa9", "\xe2\x9c\x93",
       "{\"name\":\"UNICODE_\xc3\xa9\",\"value\":\"\xe2\x9c\x93\"}"},
      {std::string(300, 'N'), std::string(5000, 'v'), nullptr},  // long texts: checked below
  };
  for (bool in_arena : {false, true}) {
    std::optional<JsonArena> arena;
    if (in_arena) arena.emplace();
    for (const Case& c : kCases) {
      std::string name = c.name;
      EnvEntry entry = PlainEnv(name, c.value);
      name.assign(name.size(), '#');  // the entry holds its own copy
      EXPECT_EQ(entry.name, c.name);
      std::string expected = c.expected != nullptr
                                 ? c.expected
                                 : R"({"name":")" + c.name + R"(","value":")" + c.value + R"("})";
      EXPECT_EQ(Text(entry.value), expected);
    }
  }
}

TEST(EnvTest, LiteralNamesAreReferencedNotCopied) {
  static constexpr char kName[] = "MM_LITERAL";
  for (bool in_arena : {false, true}) {
    std::optional<JsonArena> arena;
    if (in_arena) arena.emplace();
    EXPECT_EQ(PlainEnv(kName, "v").name.data(), kName);
    EXPECT_EQ(SecretEnv(kName, "s", "k").name.data(), kName);
  }
}

TEST(EnvTest, SecretEnvRefersToAKeyOfASecret) {
  std::string secret = "db-secret";
  EnvEntry entry = SecretEnv("MM_CONFIG", secret, std::string("DB_CONNECTION_STRING"));
  secret.clear();
  EXPECT_EQ(entry.name, "MM_CONFIG");
  EXPECT_EQ(Text(entry.value),
            R"({"name":"MM_CONFIG","valueFrom":{"secretKeyRef":{"name":"db-secret",)"
            R"("key":"DB_CONNECTION_STRING"}}})");
}

// A copied entry (heap values share their text) keeps a valid name after the original is gone.
TEST(EnvTest, CopiedEntriesKeepTheirNames) {
  std::vector<EnvEntry> env;
  {
    EnvEntry original = PlainEnv(std::string(40, 'n'), "v");
    env.push_back(original);
  }
  env.reserve(100);  // moves the entries
  EXPECT_EQ(env[0].name, std::string(40, 'n'));
  EXPECT_EQ(Text(env[0].value), R"({"name":")" + std::string(40, 'n') + R"(","value":"v"})");
}

TEST(EnvTest, MergeEnvReplacesEveryEntryOfTheSameNameInPlaceAndAppendsNewNames) {
  struct Case {
    const char* user;
    const char* names;
    const char* built;
  };
  const Case kCases[] = {
      {"[]", "A B A ",
       R"([{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"A","value":"3"}])"},
      {R"([{"name":"A","value":"x"}])", "A B A ",
       R"([{"name":"A","value":"x"},{"name":"B","value":"2"},{"name":"A","value":"x"}])"},
      {R"([{"name":"C","value":"c"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"f"}}}])",
       "A B A C ",
       R"([{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"f"}}},)"
       R"({"name":"A","value":"3"},{"name":"C","value":"c"}])"},
      // No name, a non-string name: merged as the empty name (appended, then replaced).
      {R"([{"value":"n1"},{"name":7,"value":"n2"}])", "A B A  ",
       R"([{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"A","value":"3"},)"
       R"({"name":7,"value":"n2"}])"},
      {R"({"not":"an array"})", "A B A ",
       R"([{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"A","value":"3"}])"},
  };
  for (const Case& c : kCases) {
    JsonArena arena;
    std::vector<EnvEntry> env = {PlainEnv("A", "1"), PlainEnv("B", "2"), PlainEnv("A", "3")};
    rapidjson::Document user = *ParseJson(c.user);
    MergeEnv(env, &user);
    EXPECT_EQ(Names(env), c.names) << c.user;
    EXPECT_EQ(Text(EnvArray(std::move(env))), c.built) << c.user;
  }
  std::vector<EnvEntry> env = {PlainEnv("A", "1")};
  MergeEnv(env, nullptr);
  EXPECT_EQ(Names(env), "A ");
}

TEST(EnvTest, EnvArrayOfNoEntriesIsEmpty) { EXPECT_EQ(Text(EnvArray({})), "[]"); }

}  // namespace
}  // namespace mm
