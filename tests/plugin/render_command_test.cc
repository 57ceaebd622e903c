#include "plugin/render/render_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/json.h"
#include "core/yaml.h"
#include "plugin/cli.h"
#include "tests/plugin/cli_runner.h"

namespace mm {
namespace {

using testing::CliRun;

// Runs the CLI with `input` on stdin.
CliRun RunWithStdin(std::vector<std::string> args, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  IOStreams streams{in, out, err};
  args.insert(args.begin(), "/usr/local/bin/kubectl-mattermost");
  CliRun run;
  run.code = RunCli(args, streams);
  run.out = out.str();
  run.err = err.str();
  return run;
}

constexpr char kExternal[] = R"(
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData:
  DB_CONNECTION_STRING: mysql://u:p@tcp(db:3306)/mm
  DB_CONNECTION_CHECK_URL: http://db:3306
---
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: chat}
spec:
  size: 100users
  ingressName: chat.example.com
  useServiceLoadBalancer: true
  database: {external: {secret: db}}
  fileStore: {local: {enabled: true}}
)";

std::string Kinds(const rapidjson::Value& list) {
  std::string kinds;
  for (const auto& item : list["items"].GetArray()) {
    kinds += GetString(item, "kind") + "/" + GetString(item["metadata"], "name") + " ";
  }
  return kinds;
}

TEST(RenderCommandTest, JsonListOfTheResourceAndItsChildren) {
  CliRun run = RunWithStdin({"render", "-f", "-", "-o", "json", "-n", "team"}, kExternal);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  auto list = ParseJson(run.out);
  ASSERT_TRUE(list.ok()) << run.out;
  EXPECT_EQ(GetString(*list, "kind"), "List");
  EXPECT_EQ(Kinds(*list),
            "Mattermost/chat PersistentVolumeClaim/chat Service/chat ServiceAccount/chat "
            "Role/chat RoleBinding/chat Deployment/chat ");
  const rapidjson::Value& deployment = (*list)["items"][6];
  EXPECT_EQ(GetString(deployment["metadata"], "namespace"), "team");
  // The Secret in the file decides the check container: mysql -> curl.
  EXPECT_EQ(GetString(deployment["spec"]["template"]["spec"]["initContainers"][0], "image"),
            "appropriate/curl:latest");
  EXPECT_EQ(deployment["spec"]["replicas"].GetInt(), 1);
}

TEST(RenderCommandTest, YamlDocumentsAndFlagsForClusterFacts) {
  CliRun run =
      RunWithStdin({"render", "-f", "-", "--minio-port", "9443", "--mysql-database", "chatdb"},
                   "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
                   "metadata: {name: a, namespace: ns}\nspec: {ingressName: a.example.com}\n");
  ASSERT_EQ(run.code, 0) << run.err;
  auto documents = ParseYamlDocuments(run.out, "stdout");
  ASSERT_TRUE(documents.ok());
  ASSERT_EQ(documents->size(), 9u);
  const rapidjson::Value& env = (*documents)[8]["spec"]["template"]["spec"]["containers"][0]["env"];
  EXPECT_EQ(GetString(env[3], "value"),
            "mysql://$(MYSQL_USERNAME):$(MYSQL_PASSWORD)@tcp(db-0cc175-mysql-master.ns.svc.cluster."
            "local:3306)/chatdb?charset=utf8mb4,utf8&readTimeout=30s&writeTimeout=30s");
  EXPECT_EQ(GetString(env[6], "value"), "a-minio-hl-svc.ns.svc.cluster.local:9443");
}

TEST(RenderCommandTest, DatabaseSecretKeysFromFlags) {
  const std::string input =
      "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
      "metadata: {name: a}\nspec: {ingressName: h, database: {external: {secret: db}}}\n";
  CliRun run = RunWithStdin({"render", "-f", "-", "-o", "json", "--db-secret-key",
                             "DB_CONNECTION_STRING=mysql://u:p@tcp(db:3306)/mm", "--db-secret-key",
                             "DB_CONNECTION_CHECK_URL"},
                            input);
  ASSERT_EQ(run.code, 0) << run.err;
  auto list = ParseJson(run.out);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(Kinds(*list).substr(Kinds(*list).rfind(" ", Kinds(*list).size() - 2) + 1),
            "Deployment/a ");
  const rapidjson::Value& pod = (*list)["items"][7]["spec"]["template"]["spec"];
  EXPECT_EQ(GetString(pod["initContainers"][0], "image"), "appropriate/curl:latest");
  run = RunWithStdin({"render", "-f", "-", "--db-secret-key", "DB_CONNECTION_STRING=x",
                      "--db-secret-key", "DB_CONNECTION_CHECK_URL=ftp://db"},
                     input);
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')),
            "error: invalid DB_CONNECTION_CHECK_URL: scheme \"ftp\" is not allowed for database "
            "type \"unknown\"");
}

// Offline, the objects the operator only checks (license and file-store secrets, the S3
// ServiceAccount, claims, the MinIO Service) are not looked up: they are not checked, and a local
// claim is rendered as a new one. What the spec alone decides is still refused.
TEST(RenderCommandTest, OfflineChecksAreTheSpecsOnly) {
  const std::string header =
      "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
      "metadata: {name: a}\nspec:\n  ingressName: h\n  licenseSecret: nowhere\n";
  CliRun run = RunWithStdin(
      {"render", "-f", "-", "-o", "json"},
      header + "  fileStore: {external: {url: s3.example.com, bucket: b, secret: nowhere}}\n");
  ASSERT_EQ(run.code, 0) << run.err;
  run = RunWithStdin({"render", "-f", "-", "-o", "json"},
                     header + "  fileStore: {local: {enabled: true}}\n");
  ASSERT_EQ(run.code, 0) << run.err;
  auto list = ParseJson(run.out);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(ToJson((*list)["items"][2]["spec"]["accessModes"]), R"(["ReadWriteMany"])");
  run = RunWithStdin({"render", "-f", "-"},
                     header + "  fileStore: {external: {url: s3.example.com, secret: s3}}\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')), "error: external file store bucket is empty");
}

TEST(RenderCommandTest, OperatorManifest) {
  CliRun run = RunWithStdin({"render", "--operator", "-o", "json"}, "");
  ASSERT_EQ(run.code, 0) << run.err;
  auto list = ParseJson(run.out);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Kinds(*list),
            "Namespace/mattermost-operator "
            "CustomResourceDefinition/clusterinstallations.mattermost.com "
            "CustomResourceDefinition/mattermostrestoredbs.mattermost.com "
            "CustomResourceDefinition/mattermosts.installation.mattermost.com "
            "ServiceAccount/mattermost-operator ClusterRole/mattermost-operator "
            "ClusterRoleBinding/mattermost-operator Service/mattermost-operator "
            "Deployment/mattermost-operator ");
  CliRun yaml = RunWithStdin({"render", "--operator"}, "");
  ASSERT_EQ(yaml.code, 0);
  auto documents = ParseYamlDocuments(yaml.out, "stdout");
  ASSERT_TRUE(documents.ok());
  EXPECT_EQ(documents->size(), 9u);
}

TEST(RenderCommandTest, Errors) {
  struct Case {
    std::vector<std::string> args;
    std::string input;
    std::string err;
  };
  const Case kCases[] = {
      {{"render"}, "", "error: must specify -f (a Mattermost manifest) or --operator\n"},
      {{"render", "--operator", "-f", "x"},
       "",
       "error: --operator and -f are mutually exclusive\n"},
      {{"render", "-f", "/nonexistent/mm.yaml"},
       "",
       "error: the path \"/nonexistent/mm.yaml\" does not exist\n"},
      {{"render", "-f", "-"},
       "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
       "error: -: no installation.mattermost.com/v1beta1 Mattermost found\n"},
      {{"render", "-f", "-"},
       "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\nmetadata: {name: "
       "a}\nspec: {size: huge}\n",
       "error: Mattermost \"a\" is invalid:\n"
       "  - spec.size: unknown size \"huge\"; known sizes: 100users, 1000users, 5000users, "
       "10000users, 25000users, cloud10users, cloud100users, miniSingleton, miniHA\n"
       "  - spec.ingressName: required when spec.ingress is not set (the Ingress is then "
       "enabled)\n"},
  };
  for (const Case& c : kCases) {
    CliRun run = RunWithStdin(c.args, c.input);
    EXPECT_EQ(run.code, 1);
    EXPECT_EQ(run.err.substr(0, run.err.find("See '")), c.err);
  }
}

}  // namespace
}  // namespace mm
