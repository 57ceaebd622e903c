#include "plugin/install/operator_manifest.h"

#include <gtest/gtest.h>

#include <map>

#include "core/json.h"
#include "plugin/install/operator_install.h"

namespace mm {
namespace {

std::vector<std::string> Names(const std::vector<OperatorObject>& objects) {
  std::vector<std::string> names;
  for (const auto& [object, source] : objects) names.push_back(KubectlName(object));
  return names;
}

TEST(OperatorManifestTest, MovesTheOperatorAndEveryReferenceToItsNamespace) {
  auto objects = LoadOperatorObjects({.namespace_name = "ops"}, nullptr);
  ASSERT_TRUE(objects.ok()) << objects.error().message();
  std::map<std::string, std::string> namespaces;
  for (const auto& [object, source] : *objects) {
    EXPECT_EQ(source, "embedded");
    namespaces[KubectlName(object)] = GetString(object["metadata"], "namespace");
    if (GetString(object, "kind") == "ClusterRoleBinding") {
      EXPECT_EQ(GetString(object["subjects"][0], "namespace"), "ops");
    }
  }
  EXPECT_EQ(namespaces,
            (std::map<std::string, std::string>{
                {"namespace/ops", ""},
                {"customresourcedefinition.apiextensions.k8s.io/"
                 "clusterinstallations.mattermost.com",
                 ""},
                {"customresourcedefinition.apiextensions.k8s.io/"
                 "mattermostrestoredbs.mattermost.com",
                 ""},
                {"customresourcedefinition.apiextensions.k8s.io/"
                 "mattermosts.installation.mattermost.com",
                 ""},
                {"serviceaccount/mattermost-operator", "ops"},
                {"clusterrole.rbac.authorization.k8s.io/mattermost-operator", ""},
                {"clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator", ""},
                {"service/mattermost-operator", "ops"},
                {"deployment.apps/mattermost-operator", "ops"},
            }));
  EXPECT_EQ(OperatorNamespaceIn(*objects), "ops");
}

TEST(OperatorManifestTest, MovesOnlyReferencesToTheOldNamespace) {
  auto object = ParseJson(R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
    "metadata":{"name":"b","namespace":"old"},"roleRef":{"kind":"Role","name":"old"},
    "subjects":[{"kind":"ServiceAccount","name":"a","namespace":"old"},
                {"kind":"ServiceAccount","name":"b","namespace":"other"},
                {"kind":"User","name":"old","namespace":"old"}]})");
  ASSERT_TRUE(object.ok());
  MoveToNamespace(*object, "old", "new");
  EXPECT_EQ(ToJson(*object),
            R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",)"
            R"("metadata":{"name":"b","namespace":"new"},"roleRef":{"kind":"Role","name":"old"},)"
            R"("subjects":[{"kind":"ServiceAccount","name":"a","namespace":"new"},)"
            R"({"kind":"ServiceAccount","name":"b","namespace":"other"},)"
            R"({"kind":"User","name":"old","namespace":"old"}]})");
  auto crd = ParseJson(R"({"kind":"CustomResourceDefinition","metadata":{"name":"x"},
    "spec":{"conversion":{"webhook":{"clientConfig":{"service":{"name":"s","namespace":"old"}}}}}})");
  ASSERT_TRUE(crd.ok());
  MoveToNamespace(*crd, "old", "new");
  EXPECT_EQ(
      GetString((*crd)["spec"]["conversion"]["webhook"]["clientConfig"]["service"], "namespace"),
      "new");
}

TEST(OperatorManifestTest, AppliesTheOtherOperatorsFirstInDependencyOrder) {
  std::map<std::string, std::string> files = {
      {"mysql.yaml",
       "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: mysql-operator, namespace: "
       "mysql-operator}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: "
       "mysql-operator, namespace: mysql-operator}\n---\napiVersion: apiextensions.k8s.io/v1\n"
       "kind: CustomResourceDefinition\nmetadata: {name: mysqlclusters.mysql.presslabs.org}\n"},
      {"https://example.com/minio.yaml",
       "apiVersion: v1\nkind: Namespace\nmetadata: {name: minio-operator}\n---\napiVersion: "
       "apps/v1\nkind: Deployment\nmetadata: {name: minio-operator, namespace: "
       "minio-operator}\n"},
  };
  std::vector<std::string> read;
  auto reader = [&](const std::string& location) -> Result<std::string> {
    read.push_back(location);
    return files.at(location);
  };
  auto objects = LoadOperatorObjects(
      {.mysql = "mysql.yaml", .minio = "https://example.com/minio.yaml"}, reader);
  ASSERT_TRUE(objects.ok()) << objects.error().message();
  EXPECT_EQ(read, (std::vector<std::string>{"mysql.yaml", "https://example.com/minio.yaml"}));
  EXPECT_EQ(Names(*objects),
            (std::vector<std::string>{
                "namespace/mysql-operator",
                "namespace/minio-operator",
                "namespace/mattermost-operator",
                "customresourcedefinition.apiextensions.k8s.io/mysqlclusters.mysql.presslabs.org",
                "customresourcedefinition.apiextensions.k8s.io/clusterinstallations.mattermost.com",
                "customresourcedefinition.apiextensions.k8s.io/mattermostrestoredbs.mattermost.com",
                "customresourcedefinition.apiextensions.k8s.io/"
                "mattermosts.installation.mattermost.com",
                "serviceaccount/mysql-operator",
                "serviceaccount/mattermost-operator",
                "clusterrole.rbac.authorization.k8s.io/mattermost-operator",
                "clusterrolebinding.rbac.authorization.k8s.io/mattermost-operator",
                "service/mattermost-operator",
                "statefulset.apps/mysql-operator",
                "deployment.apps/minio-operator",
                "deployment.apps/mattermost-operator",
            }));
  EXPECT_EQ((*objects)[0].source, "needed by the manifests");
}

TEST(OperatorManifestTest, ReportsTheReadersAndTheParsersErrors) {
  auto missing = LoadOperatorObjects({.from = "nowhere.yaml"}, [](const std::string& location) {
    return Result<std::string>(Error::Usage("the path \"" + location + "\" does not exist"));
  });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "the path \"nowhere.yaml\" does not exist");
  auto bad = LoadOperatorObjects({.from = "bad.yaml"}, [](const std::string&) {
    return Result<std::string>(std::string("apiVersion: v1\nmetadata: {name: x}\n"));
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("unable to decode \"bad.yaml\""), std::string::npos)
      << bad.error().message();
}

}  // namespace
}  // namespace mm
