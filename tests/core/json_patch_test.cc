#include "core/json_patch.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

// Cases from RFC 6902 appendix A, plus errors.
TEST(JsonPatchTest, Rfc6902Examples) {
  struct Case {
    const char* document;
    const char* patch;
    const char* result;  // expected document, or the error message
  };
  const Case kCases[] = {
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
       R"({"foo":"bar","baz":"qux"})"},
      {R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])",
       R"({"foo":["bar","qux","baz"]})"},
      {R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":"end"}])",
       R"({"foo":["bar","end"]})"},
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])", R"({"foo":"bar"})"},
      {R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])",
       R"({"foo":["bar","baz"]})"},
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"replace","path":"/baz","value":"boo"}])",
       R"({"baz":"boo","foo":"bar"})"},
      {R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
       R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
       R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
      {R"({"foo":["all","grass","cows","eat"]})",
       R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])",
       R"({"foo":["all","cows","eat","grass"]})"},
      {R"({"a/b":1,"m~n":2})", R"([{"op":"copy","from":"/a~1b","path":"/m~0n"}])",
       R"({"a/b":1,"m~n":1})"},
      {R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"qux"}])", R"({"baz":"qux"})"},
      {R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])",
       "operation 0 (test /baz): test failed"},
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/baz/bat","value":"qux"}])",
       "operation 0 (add /baz/bat): parent path not found"},
      {R"({"foo":"bar"})", R"([{"op":"replace","path":"/nope","value":1}])",
       "operation 0 (replace /nope): path not found"},
      {R"({"foo":[1]})", R"([{"op":"add","path":"/foo/5","value":1}])",
       "operation 0 (add /foo/5): array index out of bounds"},
      {R"({})", R"([{"op":"jump","path":"/a"}])",
       "operation 0 (jump /a): unsupported operation \"jump\""},
      {R"({})", R"({"op":"add"})", "patch: expected a JSON array of operations"},
  };
  for (const Case& c : kCases) {
    auto document = ParseJson(c.document);
    ASSERT_TRUE(document.ok());
    auto applied = ApplyJsonPatch(*document, c.patch);
    std::string result = applied.ok() ? ToJson(*document) : applied.error().message();
    EXPECT_EQ(result, c.result) << c.patch;
  }
}

}  // namespace
}  // namespace mm
