// §3.9 and §3.10: the Secrets the operator generates, with an injected random source, and how a
// plan treats them (created when missing, never rewritten).
#include <gtest/gtest.h>

#include "core/mattermost/children.h"
#include "core/mattermost/operator_resources.h"
#include "core/mattermost/reconcile.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;
using testing::ExpectSameJson;
using testing::Yaml;

void Counting(uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i);
}

constexpr char kOwner[] =
    "  ownerReferences: [{apiVersion: installation.mattermost.com/v1beta1, kind: Mattermost, "
    "name: foo, uid: uid-1, controller: true, blockOwnerDeletion: true}]\n";

TEST(OperatorSecretsTest, MysqlAndMinioSecrets) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n");
  ExpectSameJson(
      Yaml(std::string("apiVersion: v1\nkind: Secret\nmetadata:\n"
                       "  name: foo-mysql-root-password\n  namespace: default\n") +
           kOwner +
           "data:\n  DATABASE: bWF0dGVybW9zdA==\n  USER: bW11c2Vy\n"
           "  PASSWORD: eXl5b3J5YXJ5aWR5eG55ag==\n  ROOT_PASSWORD: eXl5b3J5YXJ5aWR5eG55ag==\n"),
      BuildMysqlSecret(mattermost, Counting), "MySQL secret");
  ExpectSameJson(Yaml(std::string("apiVersion: v1\nkind: Secret\nmetadata:\n"
                                  "  name: foo-minio\n  namespace: default\n"
                                  "  labels: {v1alpha1.mattermost.com/resource: foo}\n") +
                      kOwner +
                      "data:\n  accesskey: eXl5b3J5YXJ5aWR5eG55ag==\n"
                      "  secretkey: eXl5b3J5YXJ5aWR5eG55amJlZm9hZGVxYmg9PQ==\n"),
                 BuildMinioSecret(mattermost, Counting), "MinIO secret");
}

TEST(OperatorSecretsTest, CreatedWhenMissingNeverRewritten) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n  replicas: 0\n");
  RandomBytes random = Counting;
  DesiredState desired = *BuildChildren(mattermost, {}, &random);
  std::string order;
  for (const DesiredChild& child : desired.children) {
    if (child.object) order += child.kind + "/" + child.name + " ";
  }
  EXPECT_EQ(order,
            "MysqlCluster/db-acbd18 Secret/foo-mysql-root-password Secret/foo-minio "
            "MinIOInstance/foo-minio Service/foo ServiceAccount/foo Role/foo RoleBinding/foo "
            "Ingress/foo Deployment/foo ");
  // Live secrets with other values (and, after a migration, another owner) are left alone.
  rapidjson::Document mysql = Yaml(
      "metadata: {name: foo-mysql-root-password, ownerReferences: [{kind: ClusterInstallation, "
      "name: foo}]}\ndata: {USER: eA==}\n");
  rapidjson::Document minio = Yaml("metadata: {name: foo-minio}\ndata: {accesskey: eA==}\n");
  ObservedState observed;
  observed.objects[ObjectKey("Secret", "foo-mysql-root-password")] = &mysql;
  observed.objects[ObjectKey("Secret", "foo-minio")] = &minio;
  Plan plan = Reconcile(mattermost, desired, observed);
  for (const Action& action : plan.actions) {
    EXPECT_NE(action.kind, "Secret") << action.name;
  }
}

}  // namespace
}  // namespace mm
