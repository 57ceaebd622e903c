#include "plugin/version/version_command.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/yaml.h"
#include "plugin/build_info.h"
#include "tests/plugin/cli_runner.h"

namespace mm {
namespace {

using testing::RunForTest;

TEST(VersionCommandTest, ClientHumanOutput) {
  auto run = RunForTest({"version", "--client"});
  EXPECT_EQ(run.code, 0);
  const BuildInfo& info = GetBuildInfo();
  EXPECT_EQ(run.out, "Client Version: " + info.git_version + " (commit " + info.git_commit +
                         ", linux/amd64)\n");
  EXPECT_EQ(run.err, "");
}

TEST(VersionCommandTest, JsonOutputHasVersionAndCommit) {
  auto run = RunForTest({"version", "--client", "-o", "json"});
  ASSERT_EQ(run.code, 0) << run.err;
  auto document = ParseJson(run.out);
  ASSERT_TRUE(document.ok()) << run.out;
  const rapidjson::Value* client = FindMember(*document, "clientVersion");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(GetString(*client, "gitVersion"), GetBuildInfo().git_version);
  EXPECT_EQ(GetString(*client, "gitCommit"), GetBuildInfo().git_commit);
  EXPECT_EQ(GetString(*client, "platform"), "linux/amd64");
}

TEST(VersionCommandTest, YamlOutputParsesBackToTheSameObject) {
  auto yaml = RunForTest({"version", "--client", "-o", "yaml"});
  auto json = RunForTest({"version", "--client", "-o", "json"});
  ASSERT_EQ(yaml.code, 0);
  auto from_yaml = ParseYamlDocuments(yaml.out, "stdout");
  auto from_json = ParseJson(json.out);
  ASSERT_TRUE(from_yaml.ok() && from_json.ok());
  ASSERT_EQ(from_yaml->size(), 1u);
  EXPECT_EQ(ToJson((*from_yaml)[0]), ToJson(*from_json));
}

TEST(VersionCommandTest, BadOutputFormatAndArguments) {
  auto run = RunForTest({"version", "-o", "xml"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err,
            "error: unable to match a printer suitable for the output format \"xml\", allowed "
            "formats are: json,yaml\n"
            "See 'kubectl mattermost version -h' for help and examples\n");
  run = RunForTest({"version", "extra"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err.rfind("error: unexpected arguments: version takes no arguments", 0), 0u);
}

}  // namespace
}  // namespace mm
