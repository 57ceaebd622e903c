// Json / JsonKey: values move out of their initializer lists (never out of the caller's values),
// objects and arrays live in one allocation (from a JsonArena when one is current, else shared),
// literals are referenced (by the documents built, too) and all other text is copied, so neither
// a Json nor a document built from it dangles on a temporary.
#include "core/json_builder.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace mm {
namespace {

std::string Text(const Json& json) { return ToJson(json.BuildDocument()); }

TEST(JsonBuilderTest, BuildsNestedObjectsAndArraysInOrderLeavingOmittedValuesOut) {
  Json json = Json::Object({{"name", "app"},
                            {"ports", Json::Array({8065, Json::Omit(), int64_t{8067}})},
                            {"skipped", Json::Omit()},
                            {"if", Json::If(false, "x")},
                            {"copy", Json::Copy(nullptr)},
                            {"flags", Json::Array({true, false, nullptr})},
                            {"empty", Json::Object({})}});
  EXPECT_EQ(Text(json),
            R"({"name":"app","ports":[8065,8067],"flags":[true,false,null],"empty":{}})");
}

// The initializer list holds copies of named values: moving out of the list leaves the named
// values whole, so one value can be nested twice and built again afterwards.
TEST(JsonBuilderTest, NestingANamedValueTwiceLeavesItWhole) {
  std::string long_text(40, 'v');  // on the heap, not in the small-string buffer
  Json labels = Json::Object({{"app", long_text}, {JsonKey(std::string(30, 'k')), "short"}});
  Json items = Json::Array({labels, long_text});
  Json both = Json::Object({{"a", labels}, {"b", labels}, {"c", items}, {"d", items}});
  std::string expected_labels =
      R"({"app":")" + long_text + R"(",")" + std::string(30, 'k') + R"(":"short"})";
  std::string expected_items = "[" + expected_labels + R"(,")" + long_text + R"("])";
  EXPECT_EQ(Text(both), R"({"a":)" + expected_labels + R"(,"b":)" + expected_labels + R"(,"c":)" +
                            expected_items + R"(,"d":)" + expected_items + "}");
  EXPECT_EQ(Text(labels), expected_labels);
  EXPECT_EQ(Text(items), expected_items);
}

// Keys and values from temporaries and from char pointers are copied: the Json outlives them.
TEST(JsonBuilderTest, CopiesTextThatIsNotALiteral) {
  char buffer[] = "a buffer that changes after the value was made";
  const char* pointer = buffer;
  Json json = Json::Object({{JsonKey(std::string(20, 'x') + "-key"), std::string(24, 'y')},
                            {std::string_view("view-key-longer-than-fifteen"), pointer},
                            {"short", std::string_view("sv")}});
  buffer[0] = 'X';
  std::string clobber(64, '#');  // reuses the freed temporaries' memory, if anything dangles
  EXPECT_EQ(Text(json), R"({")" + std::string(20, 'x') + R"(-key":")" + std::string(24, 'y') +
                            R"(","view-key-longer-than-fifteen":"a buffer that changes after )"
                            R"(the value was made","short":"sv"})");
}

// A string given as an rvalue is moved in (no second copy of, say, a secret's encoding).
TEST(JsonBuilderTest, MovesAStringValueInWithoutAnArena) {
  std::string text(64, 's');
  const char* buffer = text.data();
  Json json = std::move(text);
  EXPECT_EQ(Text(json), "\"" + std::string(64, 's') + "\"");
  EXPECT_EQ(text.data() == buffer, false);  // NOLINT(bugprone-use-after-move): the buffer moved
  JsonArena arena;
  std::string other(64, 'o');
  Json copied = std::move(other);
  EXPECT_EQ(Text(copied), "\"" + std::string(64, 'o') + "\"");
}

TEST(JsonBuilderTest, VectorsAndStringMapsBuildTheSameAsLists) {
  std::vector<Json::Member> members;
  members.push_back({"b", 1});
  members.emplace_back(std::string("a-key-that-is-not-a-literal"),
                       Json::Array(std::vector<Json>{"x", Json::Omit(), 2}));
  members.push_back({"omitted", Json::Omit()});
  EXPECT_EQ(Text(Json::Object(std::move(members))),
            R"({"b":1,"a-key-that-is-not-a-literal":["x",2]})");
  std::map<std::string, std::string> map = {{"z", "1"}, {"a", "2"}, {std::string(20, 'm'), "3"}};
  EXPECT_EQ(Text(Json::StringMap(map)),
            R"({"a":"2",")" + std::string(20, 'm') + R"(":"3","z":"1"})");
}

TEST(JsonBuilderTest, CopiedValuesShareTheirChildrenAndBuildAlike) {
  rapidjson::Document source = *ParseJson(R"({"deep":{"list":[1,"two",{"three":3}]}})");
  Json original = Json::Object({{"copied", Json::Copy(&source)}, {"n", 5}});
  Json copy = original;  // NOLINT(performance-unnecessary-copy-initialization): what is tested
  Json moved = std::move(original);
  EXPECT_EQ(Text(copy), R"({"copied":{"deep":{"list":[1,"two",{"three":3}]}},"n":5})");
  EXPECT_EQ(Text(moved), Text(copy));
}

TEST(JsonBuilderTest, KeysCopyAndMoveLiteralAndOwnedNames) {
  JsonKey literal("literal");
  JsonKey owned(std::string(32, 'o'));
  JsonKey small(std::string("s"));
  JsonKey empty(std::string{});
  for (const JsonKey* key : {&literal, &owned, &small, &empty}) {
    JsonKey copy(*key);
    EXPECT_EQ(copy.view(), key->view());
    JsonKey assigned;
    assigned = copy;
    assigned = assigned;  // NOLINT: self-assignment is what is tested
    EXPECT_EQ(assigned.view(), key->view());
    std::string expected(key->view());
    JsonKey moved(std::move(copy));
    EXPECT_EQ(moved.view(), expected);
    JsonKey moved_assigned;
    moved_assigned = std::move(moved);
    EXPECT_EQ(moved_assigned.view(), expected);
  }
  EXPECT_EQ(literal.view().data(), JsonKey(literal).view().data());  // still the literal
}

// In an arena, nodes and copied text come from it; documents built there own their copies and
// outlive it, and a heap value made before it nests in arena values and survives it.
TEST(JsonBuilderTest, ArenaValuesBuildDocumentsThatOutliveTheArena) {
  EXPECT_EQ(JsonArena::Current(), nullptr);
  Json outside = Json::Object({{"heap", std::string(30, 'h')}});
  rapidjson::Document built;
  std::string big(100 << 10, 'b');  // more than one arena block
  {
    JsonArena arena;
    EXPECT_EQ(JsonArena::Current(), &arena);
    std::vector<Json> items;
    for (int i = 0; i < 2000; ++i) {  // tens of KiB of nodes: several blocks
      items.push_back(Json::Object({{JsonKey("key-" + std::to_string(i) + std::string(20, 'k')),
                                     "value-" + std::to_string(i) + std::string(20, 'v')}}));
    }
    Json tree = Json::Object(
        {{"items", Json::Array(std::move(items))}, {"outside", outside}, {"big", big}});
    built = tree.BuildDocument();
  }
  EXPECT_EQ(JsonArena::Current(), nullptr);
  ASSERT_EQ(built["items"].Size(), 2000u);
  EXPECT_EQ(ToJson(built["items"][1999]), R"({"key-1999)" + std::string(20, 'k') +
                                              R"(":"value-1999)" + std::string(20, 'v') + R"("})");
  EXPECT_EQ(built["big"].GetStringLength(), big.size());
  EXPECT_EQ(ToJson(built["outside"]), R"({"heap":")" + std::string(30, 'h') + R"("})");
  EXPECT_EQ(Text(outside), R"({"heap":")" + std::string(30, 'h') + R"("})");
}

// Literals (static storage, checked at compile time) are referenced by the built document, keys
// and values alike; every other text is copied into the document's allocator, short or long.
TEST(JsonBuilderTest, DocumentsReferToLiteralsAndCopyOtherText) {
  static constexpr char kName[] = "a-name-longer-than-a-short-string";
  std::string owned = "owned-text-longer-than-a-short-string";
  for (bool in_arena : {false, true}) {
    std::optional<JsonArena> arena;
    if (in_arena) arena.emplace();
    Json json = Json::Object({{"literal-key-long-enough-to-be-stored", kName},
                              {"k", "v"},
                              {JsonKey(owned), owned},
                              {JsonKey(std::string("s")), std::string("t")},
                              {"empty", ""}});
    rapidjson::Document built = json.BuildDocument();
    ASSERT_EQ(built.MemberCount(), 5u);
    auto member = built.MemberBegin();
    EXPECT_EQ(member->name.GetString(), std::string_view("literal-key-long-enough-to-be-stored"));
    EXPECT_EQ(member->value.GetString(), kName);  // the same pointer: referenced
    ++member;
    EXPECT_EQ(std::string_view(member->name.GetString()), "k");
    EXPECT_EQ(std::string_view(member->value.GetString()), "v");
    ++member;
    EXPECT_EQ(std::string_view(member->name.GetString()), owned);
    EXPECT_NE(member->name.GetString(), owned.data());  // copied
    EXPECT_NE(member->value.GetString(), owned.data());
    ++member;
    EXPECT_EQ(std::string_view(member->value.GetString()), "t");
    EXPECT_EQ(Text(json), R"({"literal-key-long-enough-to-be-stored":")" + std::string(kName) +
                              R"(","k":"v",")" + owned + R"(":")" + owned +
                              R"(","s":"t","empty":""})");
  }
}

// A literal key keeps its address through copies and the document, whether or not the object
// was made in an arena.
TEST(JsonBuilderTest, LiteralKeysAreReferencedByTheDocument) {
  static constexpr char kKey[] = "literal";
  for (bool in_arena : {false, true}) {
    std::optional<JsonArena> arena;
    if (in_arena) arena.emplace();
    rapidjson::Document built = Json::Object({{kKey, 1}}).BuildDocument();
    EXPECT_EQ(built.MemberBegin()->name.GetString(), kKey);
    rapidjson::Document copied =
        Json::Object({{JsonKey(std::string_view(kKey)), 1}}).BuildDocument();
    EXPECT_NE(copied.MemberBegin()->name.GetString(), kKey);
    EXPECT_EQ(ToJson(copied), ToJson(built));
  }
}

TEST(JsonBuilderTest, TextIsAStringValuesTextAndEmptyForOtherValues) {
  std::string long_text(40, 't');
  for (bool in_arena : {false, true}) {
    std::optional<JsonArena> arena;
    if (in_arena) arena.emplace();
    EXPECT_EQ(Json("literal").text(), "literal");
    EXPECT_EQ(Json(long_text).text(), long_text);
    EXPECT_NE(Json(long_text).text().data(), long_text.data());
    EXPECT_EQ(Json(std::string(long_text)).text(), long_text);
    EXPECT_EQ(Json(std::string_view("\u00e9 \"quoted\" \xc3\xa9")).text(),
              "\u00e9 \"quoted\" \xc3\xa9");
    EXPECT_EQ(Json(std::string()).text(), "");
    // Empty text is never a null pointer (rapidjson asserts it is not), keys and values alike.
    EXPECT_NE(Json(std::string()).text().data(), nullptr);
    EXPECT_NE(Json(std::string_view()).text().data(), nullptr);
    EXPECT_NE(JsonKey(std::string_view()).view().data(), nullptr);
    EXPECT_NE(JsonKey(std::string()).view().data(), nullptr);
    EXPECT_EQ(Text(Json::Object({{JsonKey(std::string()), std::string()}})), R"({"":""})");
    for (const Json& other : {Json(), Json(7), Json(true), Json::Omit(), Json::Array({"a"}),
                              Json::Object({{"a", "b"}})}) {
      EXPECT_EQ(other.text(), "");
    }
    // A copied value's text stays valid while the copy lives.
    std::string_view view;
    Json copy;
    {
      Json original = long_text;
      copy = original;
      view = original.text();
    }
    EXPECT_EQ(view, long_text);
    EXPECT_EQ(copy.text().data(), view.data());
  }
}

// A heap value nested into arena values hands what it owns to the arena: it survives the
// heap value and is released with the arena (LeakSanitizer checks the release).
TEST(JsonBuilderTest, HeapValuesNestedInArenaValuesLiveAsLongAsTheArena) {
  std::optional<Json> heap;
  heap.emplace(Json::Object({{JsonKey(std::string(30, 'k')), std::string(30, 'v')},
                             {"list", Json::Array({std::string(20, 'i')})}}));
  JsonArena arena;
  Json outer = Json::Array({*heap, Json::Object({{"again", *heap}})});
  std::string expected = R"({")" + std::string(30, 'k') + R"(":")" + std::string(30, 'v') +
                         R"(","list":[")" + std::string(20, 'i') + R"("]})";
  heap.reset();
  EXPECT_EQ(Text(outer), "[" + expected + R"(,{"again":)" + expected + "}]");
}

TEST(JsonBuilderTest, ArenasNest) {
  JsonArena outer;
  {
    JsonArena inner;
    EXPECT_EQ(JsonArena::Current(), &inner);
    EXPECT_EQ(Text(Json::Array({std::string(40, 'i')})), "[\"" + std::string(40, 'i') + "\"]");
  }
  EXPECT_EQ(JsonArena::Current(), &outer);
  void* a = outer.Allocate(3, 1);
  void* b = outer.Allocate(8, 8);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 8, 0u);
  EXPECT_NE(a, b);
  for (size_t alignment : {1, 2, 4, 8, 16}) {  // each after an odd-sized allocation
    outer.Allocate(1, 1);
    void* at = outer.Allocate(alignment * 3, alignment);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(at) % alignment, 0u) << alignment;
  }
  EXPECT_EQ(outer.Copy(""), "");
  EXPECT_EQ(outer.Copy("copied"), "copied");
}

}  // namespace
}  // namespace mm
