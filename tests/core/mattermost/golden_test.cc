// Golden tests: each fixture under testdata/mattermost/ holds an input Mattermost, the defaulted
// Mattermost the operator writes back, then every child object the operator creates. The
// expected documents were written by hand from operator.md, never produced by this code.
#include "tests/core/golden.h"

#include <gtest/gtest.h>

#include <set>

#include "core/mattermost/children.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"

namespace mm {
namespace {

using testing::ExpectSameJson;
using testing::LoadTestdata;

struct GoldenCase {
  std::string file;
  ClusterFacts facts;
};

void PrintTo(const GoldenCase& golden_case, std::ostream* out) { *out << golden_case.file; }

std::string Key(const std::string& kind, const std::string& name) { return kind + "/" + name; }

class MattermostGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(MattermostGoldenTest, DefaultsAndChildrenMatchTheOperator) {
  std::vector<rapidjson::Document> documents = LoadTestdata("mattermost/" + GetParam().file);
  ASSERT_GE(documents.size(), 2u);
  auto input = ParseMattermost(std::move(documents[0]));
  ASSERT_TRUE(input.ok()) << input.error().message();
  auto defaulted_document = DefaultMattermost(*input);
  ASSERT_TRUE(defaulted_document.ok()) << defaulted_document.error().message();
  ExpectSameJson(documents[1], *defaulted_document, "defaulted Mattermost");
  auto defaulted = ParseMattermost(std::move(*defaulted_document));
  ASSERT_TRUE(defaulted.ok()) << defaulted.error().message();

  auto children = BuildChildren(*defaulted, GetParam().facts);
  ASSERT_TRUE(children.ok()) << children.error().message();
  std::set<std::string> built;
  for (const DesiredChild& child : children->children) {
    if (child.object) built.insert(Key(child.kind, child.name));
  }
  std::set<std::string> expected;
  for (size_t i = 2; i < documents.size(); ++i) {
    std::string key = Key(GetString(documents[i], "kind"),
                          GetString(*FindMember(documents[i], "metadata"), "name"));
    expected.insert(key);
    const DesiredChild* match = nullptr;
    for (const DesiredChild& child : children->children) {
      if (child.object && Key(child.kind, child.name) == key) match = &child;
    }
    ASSERT_NE(match, nullptr) << "no child " << key;
    ExpectSameJson(documents[i], *match->object, key);
  }
  EXPECT_EQ(built, expected) << "the set of children differs";
}

ClusterFacts ExternalDbFacts(std::map<std::string, std::string> secret) {
  ClusterFacts facts;
  facts.external_db_secret = std::move(secret);
  return facts;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, MattermostGoldenTest,
    ::testing::Values(
        GoldenCase{"simple_anywhere.yaml", {}},
        GoldenCase{"full_external.yaml",
                   ExternalDbFacts({{"DB_CONNECTION_STRING", "postgres://u:p@db:5432/mm"},
                                    {"DB_CONNECTION_CHECK_URL", "postgres://u:p@db:5432/mm"},
                                    {"MM_SQLSETTINGS_DATASOURCEREPLICAS", "postgres://r"}})},
        GoldenCase{"kitchen_sink.yaml", {}},
        GoldenCase{
            "full_aws_alb.yaml",
            ExternalDbFacts({{"DB_CONNECTION_STRING", "mysql://u:p@tcp(db:3306)/mm"},
                             {"DB_CONNECTION_CHECK_URL", "http://db:3306"},
                             {"MM_SQLSETTINGS_DATASOURCE", "mysql://u:p@tcp(db:3306)/mm"}})}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string name = info.param.file.substr(0, info.param.file.find('.'));
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace mm
