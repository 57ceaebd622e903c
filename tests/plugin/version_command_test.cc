#include "plugin/version/version_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "core/yaml.h"
#include "plugin/build_info.h"
#include "plugin/exit_code.h"
#include "tests/kubeapi/fakes.h"
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

namespace mm {
namespace {

using kubeapi::testing::RecordingTransport;
using kubeapi::testing::Respond;

constexpr char kServerVersion[] =
    R"({"major":"1","minor":"32","gitVersion":"v1.32.4","platform":"linux/amd64"})";

// Runs `version` with `extra` flags against a fake API server answering `answer` to every request.
struct VersionRun {
  Result<void> result;
  std::string out;
  std::vector<kubeapi::HttpRequest> requests;
};

VersionRun RunVersion(const std::vector<std::string>& extra, kubeapi::HttpResponse answer) {
  auto fake = std::make_unique<RecordingTransport>();
  RecordingTransport* recorder = fake.get();
  fake->handler = [answer](const kubeapi::HttpRequest&) { return answer; };
  Factory factory;
  factory.loading_rules = kubeapi::LoadingRules{};
  factory.in_cluster = kubeapi::InClusterEnvironment{};
  factory.flags.overrides.server = "https://k:6443";
  factory.flags.overrides.token = "t0k";
  factory.make_network = [&fake] { return std::unique_ptr<kubeapi::Transport>(std::move(fake)); };
  VersionOptions options;
  cxxopts::Options parser("version");
  options.AddFlags(parser);
  std::vector<const char*> argv = {"version"};
  for (const std::string& arg : extra) argv.push_back(arg.c_str());
  parser.parse(static_cast<int>(argv.size()), argv.data());
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  IOStreams streams{in, out, err};
  VersionRun run{options.Complete(factory, {})};
  if (run.result) run.result = options.Run(streams);
  run.out = out.str();
  run.requests = recorder->requests;
  return run;
}

std::string ClientLine() {
  const BuildInfo& info = GetBuildInfo();
  return "Client Version: " + info.git_version + " (commit " + info.git_commit + ", linux/amd64)\n";
}

TEST(VersionServerTest, AsksTheServer) {
  VersionRun run = RunVersion({}, Respond(200, kServerVersion));
  ASSERT_TRUE(run.result.ok()) << run.result.error().message();
  EXPECT_EQ(run.out, ClientLine() + "Server Version: v1.32.4\n");
  ASSERT_EQ(run.requests.size(), 1u);
  EXPECT_EQ(run.requests[0].method, "GET");
  EXPECT_EQ(run.requests[0].url, "https://k:6443/version");
  EXPECT_EQ(run.requests[0].Header("Authorization"), "Bearer t0k");
  EXPECT_EQ(run.requests[0].Header("Accept"), "application/json");
}

TEST(VersionServerTest, JsonHasServerVersion) {
  VersionRun run = RunVersion({"-o", "json"}, Respond(200, kServerVersion));
  ASSERT_TRUE(run.result.ok());
  auto document = ParseJson(run.out);
  ASSERT_TRUE(document.ok()) << run.out;
  const rapidjson::Value* server = FindMember(*document, "serverVersion");
  ASSERT_NE(server, nullptr) << run.out;
  EXPECT_EQ(ToJson(*server), kServerVersion);
}

TEST(VersionServerTest, ErrorsAfterPrintingTheClientVersion) {
  struct Case {
    kubeapi::HttpResponse answer;
    std::string printed_error;
  };
  const Case cases[] = {
      {kubeapi::testing::Fail(kubeapi::NetworkFailure::kConnect,
                              "The connection to the server k:6443 was refused - did you specify "
                              "the right host or port?"),
       "The connection to the server k:6443 was refused - did you specify the right host or "
       "port?"},
      {Respond(
           401,
           R"({"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"),
       "error: You must be logged in to the server (Unauthorized)"},
      {Respond(401, "not a status"),
       "error: You must be logged in to the server (the server has asked for the client to "
       "provide credentials)"},
  };
  for (const Case& c : cases) {
    VersionRun run = RunVersion({}, c.answer);
    ASSERT_FALSE(run.result.ok());
    EXPECT_EQ(run.out, ClientLine());
    EXPECT_EQ(FormatError(run.result.error(), "kubectl mattermost version"), c.printed_error);
  }
}

TEST(VersionServerTest, UnreachableServerEndToEnd) {
  // A kubeconfig naming a port nothing listens on: real kubeconfig loading and real libcurl.
  std::string dir = ::testing::TempDir() + "version-e2e";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/config") << "current-context: c\nclusters:\n- name: c\n  cluster: {server: "
                                    "\"http://127.0.0.1:9\"}\ncontexts:\n- name: c\n  context: "
                                    "{cluster: c}\n";
  auto run = testing::RunForTest({"version", "--kubeconfig", dir + "/config"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out, ClientLine());
  EXPECT_EQ(run.err,
            "The connection to the server 127.0.0.1:9 was refused - did you specify the right host "
            "or port?\n");
  auto missing = testing::RunForTest({"version", "--kubeconfig", dir + "/nope"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "error: stat " + dir + "/nope: no such file or directory\n");
}

}  // namespace
}  // namespace mm
