// upgrade's and logs' option checks, made before any request.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/plugin/cli_runner.h"

namespace mm {
namespace {

// A kubeconfig naming a port nothing listens on: option errors must come before any request.
std::string UnreachableKubeconfig() {
  std::string dir = ::testing::TempDir() + "upgrade-logs-options";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/config") << "current-context: c\nclusters:\n- name: c\n  cluster: {server: "
                                    "\"http://127.0.0.1:9\"}\ncontexts:\n- name: c\n  context: "
                                    "{cluster: c}\n";
  return dir + "/config";
}

struct Case {
  std::vector<std::string> args;
  std::string error;
};

void ExpectUsageErrors(const std::string& command, const std::vector<Case>& cases) {
  const std::string help = "\nSee 'kubectl mattermost " + command + " -h' for help and examples\n";
  for (const Case& c : cases) {
    std::vector<std::string> args = {command};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"--kubeconfig", UnreachableKubeconfig()});
    auto run = testing::RunForTest(args);
    EXPECT_EQ(run.code, 1) << c.error;
    EXPECT_EQ(run.err, c.error + help);
    EXPECT_EQ(run.out, "");
  }
}

TEST(UpgradeOptionsTest, RejectsBadOptionsBeforeTalkingToTheCluster) {
  ExpectUsageErrors(
      "upgrade",
      {
          {{"--version", "10.9.0"}, "error: upgrade takes exactly one NAME, got 0 arguments"},
          {{"demo"}, "error: --version is required (or --rollback)"},
          {{"demo", "--version", "10.9!"},
           "error: --version: invalid version \"10.9!\": must be an image tag (letters, digits, "
           "'_', '.', '-'; at most 128 characters, not starting with '.' or '-') or "
           "sha256:<64 hex digits>"},
          {{"demo", "--rollback", "--version", "10.9.0"},
           "error: --rollback takes the previous version and image: drop --version/--image"},
          {{"demo", "--version", "10.9.0", "--timeout", "soon"},
           "error: invalid --timeout \"soon\" (e.g. 15m, 90s)"},
          {{"demo", "--version", "10.9.0", "--dry-run=maybe"},
           "error: --dry-run must be client or server, got \"maybe\""},
          {{"demo", "--version", "10.9.0", "--dry-run", "--wait"},
           "error: --wait cannot be used with --dry-run"},
      });
}

TEST(LogsOptionsTest, RejectsBadOptionsBeforeTalkingToTheCluster) {
  ExpectUsageErrors(
      "logs",
      {
          {{}, "error: name an installation (or pass --operator)"},
          {{"a", "b"}, "error: logs takes one NAME"},
          {{"demo", "--job", "backup"}, "error: --job must be update or restore, got \"backup\""},
          {{"demo", "--job", "update", "--operator"},
           "error: --job, --operator and --all-pods are exclusive"},
          {{"demo", "--all-pods", "--operator"},
           "error: --job, --operator and --all-pods are exclusive"},
          {{"demo", "--tail=-2"}, "error: --tail must be -1 (all) or more"},
          {{"demo", "--since", "yesterday"}, "error: invalid --since \"yesterday\" (e.g. 10m, 1h)"},
      });
}

TEST(UpgradeLogsHelpTest, RootHelpListsThem) {
  auto run = testing::RunForTest({"--help"});
  EXPECT_NE(run.out.find("  upgrade         Upgrade (or roll back) a Mattermost installation\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  logs            Show the logs of an installation's pods"),
            std::string::npos)
      << run.out;
}

}  // namespace
}  // namespace mm
