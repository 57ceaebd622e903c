#include "tests/sandbox/selectors.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox {
namespace {

TEST(LabelSelectorTest, MatchesEveryOperator) {
  auto labels = mm::ParseJson(R"({"app":"web","tier":"front","env":"prod"})");
  struct Case {
    const char* selector;
    bool match;
  };
  for (const Case& c : {Case{"app=web", true}, Case{"app==web", true}, Case{"app!=web", false},
                        Case{"tier in (a,front)", true}, Case{"tier notin (a,front)", false},
                        Case{"env", true}, Case{"!env", false}, Case{"missing", false},
                        Case{"!missing", true}, Case{"app=web,tier in (x),!env", false},
                        Case{"app=web, tier in (front) , env", true}, Case{"", true}}) {
    auto selector = LabelSelector::Parse(c.selector);
    ASSERT_TRUE(selector) << c.selector;
    EXPECT_EQ(selector->Matches(&*labels), c.match) << c.selector;
  }
}

TEST(LabelSelectorTest, RejectsBadSyntaxWithBadRequest) {
  auto selector = LabelSelector::Parse("app in web");
  ASSERT_FALSE(selector);
  EXPECT_EQ(selector.error().status()->code, 400);
  EXPECT_EQ(selector.error().status()->message,
            "unable to parse requirement: found 'app in web', expected: in, notin, =, ==, !=, "
            "gt, lt");
}

TEST(FieldSelectorTest, SupportsNameAndResourceFields) {
  auto pod = mm::ParseJson(
      R"({"metadata":{"name":"web","namespace":"default"},"status":{"phase":"Running"}})");
  auto fields = SelectableFields("", "pods");
  auto selector = FieldSelector::Parse("metadata.name=web,status.phase!=Pending", fields);
  ASSERT_TRUE(selector);
  EXPECT_TRUE(selector->Matches(*pod));
  EXPECT_EQ(selector->NameEquals(), "web");
  auto other = FieldSelector::Parse("status.phase==Pending", fields);
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->Matches(*pod));
}

TEST(FieldSelectorTest, UnsupportedFieldIsBadRequest) {
  auto selector = FieldSelector::Parse("spec.replicas=3", SelectableFields("apps", "deployments"));
  ASSERT_FALSE(selector);
  EXPECT_EQ(selector.error().status()->message, "field label not supported: spec.replicas");
}

TEST(FormatLabelSelectorTest, SortsTermsLikeKubernetes) {
  auto selector = mm::ParseJson(
      R"({"matchLabels":{"b":"2","a":"1"},"matchExpressions":[{"key":"t","operator":"In","values":["x","y"]}]})");
  EXPECT_EQ(FormatLabelSelector(*selector), "a=1,b=2,t in (x,y)");
}

}  // namespace
}  // namespace sandbox
