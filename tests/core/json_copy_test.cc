// CopyValue / CopyInto: deep copies built on a SaxStack, whose first 8 KiB are inline and the rest
// on the heap.
#include "core/json_copy.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json.h"

namespace mm {
namespace {

TEST(JsonCopyTest, CopiesEveryKindOfValueIntoTheGivenAllocator) {
  rapidjson::Document source = *ParseJson(
      R"({"a":[1,-2,3.5,true,false,null,"text"],"b":{"c":{"d":"a string longer than inline"}},)"
      R"("e":{},"f":[]})");
  rapidjson::Document target;
  rapidjson::Value copy = CopyValue(source, target.GetAllocator());
  EXPECT_EQ(copy, source);
  EXPECT_EQ(ToJson(copy), ToJson(source));
  // The copy owns its strings: changing the source leaves it alone.
  source["b"]["c"]["d"].SetString("changed", source.GetAllocator());
  EXPECT_EQ(ToJson(copy["b"]["c"]["d"]), R"("a string longer than inline")");
  rapidjson::Value scalar = CopyValue(source["a"][6], target.GetAllocator());
  EXPECT_STREQ(scalar.GetString(), "text");
}

// Ten thousand members pending at once (160 KB of values) outgrow the inline stack: the copy is
// still whole.
TEST(JsonCopyTest, CopiesValuesWhoseBuildStackOutgrowsTheInlineBuffer) {
  std::string text = "{\"items\":[";
  for (int i = 0; i < 10000; ++i) {
    text += (i > 0 ? ",{\"n\":" : "{\"n\":") + std::to_string(i) + ",\"s\":[\"x" +
            std::to_string(i) + "\"]}";
  }
  text += "]}";
  rapidjson::Document source = *ParseJson(text);
  rapidjson::Document copy;
  CopyInto(copy, source);
  EXPECT_EQ(copy, source);
  EXPECT_EQ(ToJson(copy), text);
}

// The structure is copied, the strings are shared: editing the copy leaves the source alone.
TEST(JsonCopyTest, CopyStructureIntoRefersToTheSourceStrings) {
  rapidjson::Document source =
      *ParseJson(R"({"metadata":{"name":"a long enough name"},"l":["x"]})");
  rapidjson::Document copy;
  CopyStructureInto(copy, source);
  EXPECT_EQ(copy, source);
  EXPECT_EQ(copy["metadata"]["name"].GetString(), source["metadata"]["name"].GetString());
  EXPECT_EQ(copy["metadata"].MemberBegin()->name.GetString(),
            source["metadata"].MemberBegin()->name.GetString());
  EXPECT_EQ(copy["l"][0].GetString(), source["l"][0].GetString());
  copy["metadata"].RemoveMember("name");
  copy.AddMember("status", rapidjson::Value(rapidjson::kObjectType), copy.GetAllocator());
  EXPECT_EQ(ToJson(copy), R"({"metadata":{},"l":["x"],"status":{}})");
  EXPECT_EQ(ToJson(source), R"({"metadata":{"name":"a long enough name"},"l":["x"]})");
}

TEST(JsonCopyTest, BuildWithSaxReturnsNullWhenTheGeneratorFails) {
  rapidjson::Document target;
  rapidjson::Value built = BuildWithSax(target.GetAllocator(), [](SaxDocument& out) {
    out.StartObject();
    return false;
  });
  EXPECT_TRUE(built.IsNull());
}

}  // namespace
}  // namespace mm
