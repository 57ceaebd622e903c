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

TEST(OperatorSecretsTest, MysqlSecretCreatedWhenMissingNeverRewritten) {
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
  // A live MySQL secret with other values (and, after a migration, another owner) is left alone.
  rapidjson::Document mysql = Yaml(
      "metadata: {name: foo-mysql-root-password, ownerReferences: [{kind: ClusterInstallation, "
      "name: foo}]}\ndata: {USER: eA==}\n");
  ObservedState observed;
  observed.objects[ObjectKey("Secret", "foo-mysql-root-password")] = &mysql;
  Plan plan = Reconcile(mattermost, desired, observed);
  for (const Action& action : plan.actions) {
    EXPECT_NE(action.name, "foo-mysql-root-password");
  }
}

// §3.10: an existing MinIO secret with both keys keeps them and gets its metadata reconciled; a
// key missing means fresh random keys.
TEST(OperatorSecretsTest, MinioSecretKeepsItsKeysAndGetsItsMetadataReconciled) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n  replicas: 0\n");
  RandomBytes random = Counting;
  DesiredState desired = *BuildChildren(mattermost, {}, &random);
  auto plan_for = [&](const rapidjson::Value& live) {
    ObservedState observed;
    observed.objects[ObjectKey("Secret", "foo-minio")] = &live;
    return Reconcile(mattermost, desired, observed);
  };
  auto minio_action = [](const Plan& plan) -> const Action* {
    for (const Action& action : plan.actions) {
      if (action.kind == "Secret" && action.name == "foo-minio") return &action;
    }
    return nullptr;
  };
  const std::string metadata = std::string("apiVersion: v1\nkind: Secret\n") +
                               "metadata:\n  name: foo-minio\n  namespace: default\n" +
                               "  labels: {v1alpha1.mattermost.com/resource: foo}\n" + kOwner;
  // Keys of its own and the operator's metadata: nothing to do.
  rapidjson::Document kept = Yaml(metadata + "data: {accesskey: YQ==, secretkey: Yg==}\n");
  EXPECT_EQ(minio_action(plan_for(kept)), nullptr);
  // Its label was removed: put back, the keys kept.
  rapidjson::Document unlabelled = Yaml(
      std::string(
          "apiVersion: v1\nkind: Secret\nmetadata:\n  name: foo-minio\n  namespace: default\n") +
      kOwner + "data: {accesskey: YQ==, secretkey: Yg==, extra: eA==}\n");
  Plan relabelled = plan_for(unlabelled);
  const Action* relabel = minio_action(relabelled);
  ASSERT_NE(relabel, nullptr);
  EXPECT_EQ(relabel->type, ActionType::kUpdate);
  EXPECT_EQ(testing::At(*relabel->object, "/metadata/labels"),
            R"({"v1alpha1.mattermost.com/resource":"foo"})");
  EXPECT_EQ(testing::At(*relabel->object, "/data"),
            R"({"accesskey":"YQ==","secretkey":"Yg==","extra":"eA=="})");
  // secretkey missing: fresh keys.
  rapidjson::Document broken = Yaml(metadata + "data: {accesskey: YQ==}\n");
  Plan rekeyed = plan_for(broken);
  const Action* rekey = minio_action(rekeyed);
  ASSERT_NE(rekey, nullptr);
  EXPECT_EQ(rekey->type, ActionType::kUpdate);
  EXPECT_EQ(
      testing::At(*rekey->object, "/data"),
      R"({"accesskey":"eXl5b3J5YXJ5aWR5eG55ag==","secretkey":"eXl5b3J5YXJ5aWR5eG55amJlZm9hZGVxYmg9PQ=="})");
  // Not ours (the ClusterInstallation's, before a migration): refused like any other child.
  rapidjson::Document foreign = Yaml(
      "metadata: {name: foo-minio, ownerReferences: [{kind: ClusterInstallation, name: foo}]}\n"
      "data: {accesskey: YQ==, secretkey: Yg==}\n");
  Plan refusal = plan_for(foreign);
  const Action* refused = minio_action(refusal);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->type, ActionType::kRefuse);
}

}  // namespace
}  // namespace mm
