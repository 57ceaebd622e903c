#include "plugin/install/install_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/json.h"
#include "core/yaml.h"
#include "plugin/install/mattermost_resource.h"
#include "plugin/install/operator_install.h"
#include "tests/plugin/cli_runner.h"

namespace mm {
namespace {

// A kubeconfig naming a port nothing listens on: option errors must come before any request.
std::string UnreachableKubeconfig() {
  std::string dir = ::testing::TempDir() + "install-options";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/config") << "current-context: c\nclusters:\n- name: c\n  cluster: {server: "
                                    "\"http://127.0.0.1:9\"}\ncontexts:\n- name: c\n  context: "
                                    "{cluster: c}\n";
  return dir + "/config";
}

TEST(InstallOptionsTest, RejectsBadOptionsBeforeTalkingToTheCluster) {
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const std::string help = "\nSee 'kubectl mattermost install -h' for help and examples\n";
  const std::vector<Case> cases = {
      {{}, "error: install takes exactly one NAME (or 'operator'), got 0 arguments"},
      {{"a", "b"}, "error: install takes exactly one NAME (or 'operator'), got 2 arguments"},
      {{"demo", "--size", "huge"},
       "error: --size: unknown size \"huge\"; known sizes: 100users, 1000users, 5000users, "
       "10000users, 25000users, cloud10users, cloud100users, miniSingleton, miniHA"},
      {{"demo", "--version", "-rc1"},
       "error: --version: invalid version \"-rc1\": must be an image tag (letters, digits, '_', "
       "'.', '-'; at most 128 characters, not starting with '.' or '-') or sha256:<64 hex "
       "digits>"},
      {{"demo", "--replicas", "two"},
       "error: --replicas must be a non-negative integer, got \"two\""},
      {{"demo", "--replicas", "-1"},
       "error: --replicas must be a non-negative integer, got \"-1\""},
      {{"demo", "--timeout", "soon"}, "error: invalid --timeout \"soon\" (e.g. 10m, 90s)"},
      {{"demo", "--database-secret", "db", "--database-url-file", "f"},
       "error: --database-secret and --database-url-file are mutually exclusive"},
      {{"demo", "--filestore-s3-url", "s3.example.com", "--filestore-local", "10Gi"},
       "error: --filestore-s3-url and --filestore-local are mutually exclusive"},
      {{"demo", "--filestore-s3-url", "s3.example.com"},
       "error: --filestore-s3-url, --filestore-bucket (and --filestore-secret) go together"},
      {{"demo", "--filestore-secret", "s3"},
       "error: --filestore-s3-url, --filestore-bucket (and --filestore-secret) go together"},
      {{"demo", "--mode", "remote"},
       "error: --mode must be one of auto, operator, client, got \"remote\""},
      {{"demo", "--dry-run=maybe"}, "error: --dry-run must be client or server, got \"maybe\""},
      {{"demo", "--dry-run", "--wait"}, "error: --wait cannot be used with --dry-run"},
      {{"demo", "--env", "NOVALUE"}, "error: --env \"NOVALUE\": expected NAME=VALUE"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"install", "--kubeconfig", UnreachableKubeconfig()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    testing::CliRun run = testing::RunForTest(args);
    EXPECT_EQ(run.code, 1) << c.error;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err, c.error + help);
  }
}

TEST(InstallOptionsTest, HelpListsEverySize) {
  testing::CliRun help = testing::RunForTest({"install", "-h"});
  ASSERT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("100users, 1000users, 5000users, 10000users, 25000users, cloud10users, "
                          "cloud100users, miniSingleton, miniHA."),
            std::string::npos)
      << help.out;
}

TEST(MattermostResourceTest, BuildsTheResourceFromFlags) {
  InstallFlags flags{.name = "demo",
                     .namespace_name = "chat",
                     .size = "100users",
                     .version = "10.8.1",
                     .replicas = 0,
                     .ingress_host = "demo.local",
                     .ingress_class = "nginx",
                     .database_secret = "db",
                     .filestore_local = "10Gi",
                     .license_secret = "demo-license",
                     .env = {{"MM_LOGSETTINGS_CONSOLELEVEL", "DEBUG"}}};
  auto resource = BuildMattermostResource(flags, nullptr);
  ASSERT_TRUE(resource.ok());
  EXPECT_EQ(ToJson(*resource),
            R"({"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost",)"
            R"("metadata":{"name":"demo","namespace":"chat"},"spec":{"size":"100users",)"
            R"("version":"10.8.1","replicas":0,"licenseSecret":"demo-license",)"
            R"("ingress":{"enabled":true,"host":"demo.local","ingressClass":"nginx"},)"
            R"("database":{"external":{"secret":"db"}},)"
            R"("fileStore":{"local":{"enabled":true,"storageSize":"10Gi"}},)"
            R"("mattermostEnv":[{"name":"MM_LOGSETTINGS_CONSOLELEVEL","value":"DEBUG"}]}})");
}

TEST(MattermostResourceTest, FlagsOverrideTheFileAndServerFieldsAreDropped) {
  auto documents = ParseYamlDocuments(R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: demo, namespace: old, uid: u-1, resourceVersion: "7"}
spec:
  version: 9.11.0
  database: {operatorManaged: {type: mysql}}
  fileStore: {operatorManaged: {storageSize: 50Gi}}
  mattermostEnv: [{name: A, value: "1"}, {name: B, value: "2"}]
status: {state: stable}
)",
                                      "test");
  ASSERT_TRUE(documents.ok());
  InstallFlags flags{.name = "demo",
                     .namespace_name = "chat",
                     .version = "10.8.1",
                     .database_secret = "db",
                     .filestore_s3_url = "s3.amazonaws.com",
                     .filestore_bucket = "files",
                     .filestore_secret = "s3",
                     .env = {{"A", "one"}, {"C", "3"}}};
  auto resource = BuildMattermostResource(flags, &(*documents)[0]);
  ASSERT_TRUE(resource.ok());
  EXPECT_EQ(ToJson(*resource),
            R"({"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost",)"
            R"("metadata":{"name":"demo","namespace":"chat"},"spec":{"version":"10.8.1",)"
            R"("database":{"external":{"secret":"db"}},)"
            R"("fileStore":{"external":{"url":"s3.amazonaws.com","bucket":"files","secret":"s3"}},)"
            R"("mattermostEnv":[{"name":"A","value":"one"},{"name":"B","value":"2"},)"
            R"({"name":"C","value":"3"}]}})");
}

TEST(MattermostResourceTest, RefusesAFileForAnotherInstallation) {
  auto documents = ParseYamlDocuments(
      "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\nmetadata: {name: b}\n",
      "test");
  ASSERT_TRUE(documents.ok());
  auto resource = BuildMattermostResource({.name = "a"}, &(*documents)[0]);
  ASSERT_FALSE(resource.ok());
  EXPECT_EQ(resource.error().message(), "the file describes Mattermost \"b\", not \"a\"");
}

TEST(MattermostResourceTest, FindsExactlyOneMattermost) {
  auto two = ParseYamlDocuments(
      "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n---\n"
      "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n",
      "test");
  ASSERT_TRUE(two.ok());
  auto found = FindMattermostDocument(std::move(*two), "mm.yaml");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(
      found.error().message(),
      "mm.yaml: expected exactly one installation.mattermost.com/v1beta1 Mattermost, found 2");
}

TEST(MattermostResourceTest, ChecksImageVersions) {
  const std::string digest(64, 'a');
  for (const std::string& good : {std::string("10.8.1"), std::string("latest"),
                                  std::string("v9_rc-1.2"), "sha256:" + digest}) {
    EXPECT_EQ(CheckImageVersion(good), "") << good;
  }
  for (const std::string& bad :
       {std::string(""), std::string(".1"), std::string("10.8!"), std::string(129, 'a'),
        std::string("sha256:abc"), "sha256:" + std::string(64, 'A')}) {
    EXPECT_NE(CheckImageVersion(bad), "") << bad;
  }
}

// The live Mattermost after `upgrade --version 10.9.0` of an installation made with --size
// 100users.
rapidjson::Document LiveAfterUpgrade() {
  auto live = ParseJson(
      R"({"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost",)"
      R"("metadata":{"name":"demo","namespace":"chat","uid":"u-1","resourceVersion":"9",)"
      R"("labels":{"team":"a"},"annotations":{"kubectl-mattermost/previous-version":"10.8.1",)"
      R"("kubectl.kubernetes.io/last-applied-configuration":"{}"}},)"
      R"("spec":{"image":"mattermost/mattermost-enterprise-edition","version":"10.9.0",)"
      R"("replicas":1,"ingress":{"enabled":true,"host":"demo.local"},)"
      R"("database":{"external":{"secret":"db"}}},"status":{"state":"stable"}})");
  return std::move(*live);
}

TEST(MattermostResourceTest, ARerunStartsFromTheLiveSpecAndChangesOnlyItsFlags) {
  rapidjson::Document live = LiveAfterUpgrade();
  rapidjson::Document base = ReinstallBase(nullptr, live);
  InstallFlags flags{.name = "demo", .namespace_name = "chat", .replicas = 3};
  auto resource = BuildMattermostResource(flags, &base);
  ASSERT_TRUE(resource.ok());
  EXPECT_EQ(ToJson(*resource),
            R"({"metadata":{"labels":{"team":"a"},)"
            R"("annotations":{"kubectl-mattermost/previous-version":"10.8.1"},)"
            R"("name":"demo","namespace":"chat"},)"
            R"("spec":{"image":"mattermost/mattermost-enterprise-edition","version":"10.9.0",)"
            R"("replicas":3,"ingress":{"enabled":true,"host":"demo.local"},)"
            R"("database":{"external":{"secret":"db"}}},)"
            R"("apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost"})");
}

TEST(MattermostResourceTest, AFileKeepsTheLiveVersionAndImageOnlyWhereItSetsNone) {
  rapidjson::Document live = LiveAfterUpgrade();
  auto file = ParseJson(R"({"metadata":{"name":"demo"},"spec":{"image":"my/mattermost"}})");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(ToJson(ReinstallBase(&*file, live)),
            R"({"metadata":{"name":"demo"},"spec":{"image":"my/mattermost","version":"10.9.0"}})");
}

TEST(MattermostResourceTest, InstallLeavesVersionChangesToUpgrade) {
  rapidjson::Document live = LiveAfterUpgrade();
  auto same = ParseJson(
      R"({"metadata":{"name":"demo","namespace":"chat"},)"
      R"("spec":{"image":"mattermost/mattermost-enterprise-edition","version":"10.9.0"}})");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(VersionChangeProblem(*same, live), "");
  auto older = ParseJson(
      R"({"metadata":{"name":"demo","namespace":"chat"},)"
      R"("spec":{"image":"mattermost/mattermost-enterprise-edition","version":"10.8.1"}})");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(VersionChangeProblem(*older, live),
            "Mattermost chat/demo runs mattermost/mattermost-enterprise-edition:10.9.0; install "
            "does not change the version or image of an existing installation: run 'kubectl "
            "mattermost upgrade demo -n chat --version 10.8.1' (it checks for a downgrade and for "
            "downtime first, and can roll back)");
  auto image = ParseJson(R"({"metadata":{"name":"demo","namespace":"chat"},)"
                         R"("spec":{"image":"my/mattermost","version":"10.9.0"}})");
  ASSERT_TRUE(image.ok());
  EXPECT_NE(VersionChangeProblem(*image, live).find("--version 10.9.0 --image my/mattermost'"),
            std::string::npos);
  auto unversioned = ParseJson(R"({"spec":{}})");
  ASSERT_TRUE(unversioned.ok());
  EXPECT_EQ(VersionChangeProblem(*older, *unversioned), "");
}

TEST(MattermostResourceTest, ExplicitReplicasWinOverTheSize) {
  auto defaulted = ParseJson(R"({"spec":{"replicas":1}})");
  ASSERT_TRUE(defaulted.ok());
  OverrideReplicas(*defaulted, std::nullopt);
  EXPECT_EQ(ToJson(*defaulted), R"({"spec":{"replicas":1}})");
  OverrideReplicas(*defaulted, 2);
  EXPECT_EQ(ToJson(*defaulted), R"({"spec":{"replicas":2}})");
  auto both = ParseJson(R"({"spec":{"size":"100users","replicas":3}})");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(SizeOverridesReplicasWarning(*both),
            "spec.size 100users sets 1 replica(s) and overrides spec.replicas 3 (as the operator "
            "does); pass --replicas to choose the number");
  for (const char* quiet : {R"({"spec":{"size":"100users","replicas":1}})",
                            R"({"spec":{"size":"100users"}})", R"({"spec":{"replicas":3}})"}) {
    auto document = ParseJson(quiet);
    ASSERT_TRUE(document.ok());
    EXPECT_EQ(SizeOverridesReplicasWarning(*document), "") << quiet;
  }
}

TEST(OperatorInstallTest, EmbeddedObjectsInApplyOrderWithKubectlNames) {
  std::vector<std::string> names;
  for (const rapidjson::Document& object : EmbeddedOperatorObjects()) {
    names.push_back(KubectlName(object));
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "namespace/mattermost-operator",
                       "customresourcedefinition.apiextensions.k8s.io/"
                       "clusterinstallations.mattermost.com",
                       "customresourcedefinition.apiextensions.k8s.io/"
                       "mattermostrestoredbs.mattermost.com",
                       "customresourcedefinition.apiextensions.k8s.io/"
                       "mattermosts.installation.mattermost.com",
                       "serviceaccount/mattermost-operator",
                       "clusterrole.rbac.authorization.k8s.io/mattermost-operator",
                       "clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator",
                       "service/mattermost-operator",
                       "deployment.apps/mattermost-operator",
                   }));
}

TEST(OperatorInstallTest, RejectsAnotherOperatorVersion) {
  testing::CliRun run = testing::RunForTest(
      {"install", "operator", "--kubeconfig", UnreachableKubeconfig(), "--version", "1.24.0"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err,
            "error: --version: this plugin embeds operator v1.25.9 only, got \"1.24.0\" (use "
            "--from FILE for another release manifest)\nSee 'kubectl mattermost install -h' for "
            "help and examples\n");
}

}  // namespace
}  // namespace mm
