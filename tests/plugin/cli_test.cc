#include "plugin/cli.h"

#include <gtest/gtest.h>

#include "tests/plugin/cli_runner.h"

namespace mm {
namespace {

using testing::RunForTest;

TEST(DisplayNameTest, KubectlPrefixBecomesKubectlSubcommand) {
  EXPECT_EQ(DisplayName("/home/u/.krew/bin/kubectl-mattermost"), "kubectl mattermost");
  EXPECT_EQ(DisplayName("kubectl-mattermost.exe"), "kubectl mattermost");
  EXPECT_EQ(DisplayName("./build/mattermost-cli"), "mattermost-cli");
}

TEST(CliTest, NoArgumentsPrintsRootHelp) {
  auto run = RunForTest({});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("Usage:\n  kubectl mattermost <command> [flags]"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  version         Print the plugin's version information"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  port-forward    Forward a local port to a Mattermost installation"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.err, "");
}

TEST(CliTest, HelpFlagAndHelpCommandAgree) {
  auto flag = RunForTest({"--help"});
  auto word = RunForTest({"help"});
  EXPECT_EQ(flag.code, 0);
  EXPECT_EQ(flag.out, word.out);
  auto version_help = RunForTest({"help", "version"});
  EXPECT_EQ(version_help.code, 0);
  EXPECT_EQ(version_help.out, RunForTest({"version", "-h"}).out);
  EXPECT_NE(version_help.out.find("  kubectl mattermost version --client -o json"),
            std::string::npos)
      << version_help.out;
}

TEST(CliTest, UnknownCommandIsAnError) {
  auto run = RunForTest({"frobnicate"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: unknown command \"frobnicate\" for \"kubectl mattermost\"\n"
            "Run 'kubectl mattermost --help' for usage.\n");
}

TEST(CliTest, UnknownFlagIsAUsageError) {
  auto run = RunForTest({"version", "--bogus"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err,
            "error: Option 'bogus' does not exist\n"
            "See 'kubectl mattermost version -h' for help and examples\n");
}

TEST(CliTest, GlobalFlagValuesAreNotMistakenForTheCommand) {
  auto run = RunForTest({"-n", "status", "--context=dev", "--v=6", "version", "--client"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("Client Version: v", 0), 0u) << run.out;
}

TEST(CliTest, ConnectionFlagsWithValuesAreSkippedToo) {
  auto run =
      RunForTest({"--username", "status", "--password", "status", "--as-uid", "status",
                  "--as-user-extra", "status=x", "--cache-dir", "status", "version", "--client"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("Client Version: v", 0), 0u) << run.out;
}

}  // namespace
}  // namespace mm
