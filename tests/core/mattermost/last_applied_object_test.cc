// The document the operator records in mattermost.com/last-applied for each child (§4). Every
// expected text is written from the operator's Go generators (operator.md §3) and Go's encoding:
// no TypeMeta, keys sorted, empty structs kept, "" and null dropped, maxUnavailable 0 (an
// IntOrString 0) dropped, `&` written \u0026.
#include "core/mattermost/last_applied_object.h"

#include <gtest/gtest.h>

#include <set>

#include "core/go_json.h"
#include "core/last_applied.h"
#include "core/mattermost/children.h"
#include "core/mattermost/operator_resources.h"
#include "core/mattermost/update_job.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;

void Counting(uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i);
}

constexpr char kOwner[] =
    R"("ownerReferences":[{"apiVersion":"installation.mattermost.com/v1beta1",)"
    R"("blockOwnerDeletion":true,"controller":true,"kind":"Mattermost","name":"foo","uid":"uid-1"}])";
constexpr char kLabels[] =
    R"({"app":"mattermost","installation.mattermost.com/installation":"foo",)"
    R"("installation.mattermost.com/resource":"foo"})";

const rapidjson::Value& Child(const DesiredState& desired, const std::string& kind,
                              const std::string& name = "foo") {
  for (const DesiredChild& child : desired.children) {
    if (child.kind == kind && child.name == name && child.object) return *child.object;
  }
  ADD_FAILURE() << "no " << kind << "/" << name;
  static const rapidjson::Value kNull;
  return kNull;
}

std::string Meta(const std::string& name, bool labels = true) {
  return std::string(R"("metadata":{)") +
         (labels ? std::string(R"("labels":)") + kLabels + "," : "") + R"("name":")" + name +
         R"(","namespace":"default",)" + kOwner + "}";
}

TEST(LastAppliedObjectTest, RbacServiceAndIngressClass) {
  Mattermost mattermost = DefaultedWithSpec(
      "  awsLoadBalancerController: {enabled: true, hosts: [{hostName: foo.example.com}]}\n");
  DesiredState desired = *BuildChildren(mattermost, {});
  EXPECT_EQ(OperatorLastAppliedDocument(Child(desired, "ServiceAccount"), "default"),
            "{" + Meta("foo", false) + "}");
  EXPECT_EQ(OperatorLastAppliedDocument(Child(desired, "Role"), "default"),
            "{" + Meta("foo", false) +
                R"(,"rules":[{"apiGroups":["batch"],"resourceNames":["mattermost-db-setup"],)"
                R"("resources":["jobs"],"verbs":["get","list","watch"]}]})");
  // roleRef.apiGroup is left for the server to default.
  EXPECT_EQ(OperatorLastAppliedDocument(Child(desired, "RoleBinding"), "default"),
            "{" + Meta("foo", false) +
                R"(,"roleRef":{"kind":"Role","name":"foo"},)"
                R"("subjects":[{"kind":"ServiceAccount","name":"foo","namespace":"default"}]})");
  // ALB: a NodePort Service; ServiceStatus{LoadBalancer: {}} is always written.
  EXPECT_EQ(OperatorLastAppliedDocument(Child(desired, "Service"), "default"),
            "{" + Meta("foo") +
                R"(,"spec":{"ports":[{"appProtocol":"http","name":"app","port":8065,)"
                R"("targetPort":"app"},{"appProtocol":"http","name":"metrics","port":8067,)"
                R"("targetPort":"metrics"}],"publishNotReadyAddresses":true,"selector":)" +
                kLabels + R"(,"type":"NodePort"},"status":{"loadBalancer":{}}})");
  // The generator sets the Mattermost's namespace on the cluster-scoped IngressClass.
  EXPECT_EQ(OperatorLastAppliedDocument(Child(desired, "IngressClass"), "default"),
            "{" + Meta("foo") + R"(,"spec":{"controller":"ingress.k8s.aws/alb"}})");
}

TEST(LastAppliedObjectTest, MysqlSecretHasNoOwnerInItsRecord) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n");
  rapidjson::Document secret = BuildMysqlSecret(mattermost, Counting);
  EXPECT_EQ(OperatorLastAppliedDocument(secret, "default"),
            R"({"data":{"DATABASE":"bWF0dGVybW9zdA==","PASSWORD":"eXl5b3J5YXJ5aWR5eG55ag==",)"
            R"("ROOT_PASSWORD":"eXl5b3J5YXJ5aWR5eG55ag==","USER":"bW11c2Vy"},)"
            R"("metadata":{"name":"foo-mysql-root-password","namespace":"default"}})");
}

TEST(LastAppliedObjectTest, DeploymentWithExternalStores) {
  Mattermost mattermost = DefaultedWithSpec(
      "  replicas: 1\n  ingress: {enabled: true, host: foo.example.com}\n"
      "  database: {external: {secret: db}}\n"
      "  fileStore: {external: {url: s3.amazonaws.com, bucket: b, secret: s3}}\n"
      "  scheduling: {resources: {requests: {cpu: 100m}}}\n");
  ClusterFacts facts;
  facts.external_db_secret = {{"DB_CONNECTION_STRING", "postgres://x"}};
  DesiredState desired = *BuildChildren(mattermost, facts);
  auto secret = [](const char* name, const char* secret, const char* key) {
    return std::string(R"({"name":")") + name + R"(","valueFrom":{"secretKeyRef":{"key":")" + key +
           R"(","name":")" + secret + R"("}}})";
  };
  auto plain = [](const char* name, const char* value) {
    return std::string(R"({"name":")") + name + R"(","value":")" + value + R"("})";
  };
  std::string env = "[" + secret("MM_CONFIG", "db", "DB_CONNECTION_STRING") + "," +
                    secret("MM_SQLSETTINGS_DATASOURCE", "db", "DB_CONNECTION_STRING") + "," +
                    plain("MM_FILESETTINGS_DRIVERNAME", "amazons3") + "," +
                    plain("MM_FILESETTINGS_AMAZONS3BUCKET", "b") + "," +
                    plain("MM_FILESETTINGS_AMAZONS3ENDPOINT", "s3.amazonaws.com") + "," +
                    plain("MM_FILESETTINGS_AMAZONS3SSL", "true") + "," +
                    secret("MM_FILESETTINGS_AMAZONS3ACCESSKEYID", "s3", "accesskey") + "," +
                    secret("MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY", "s3", "secretkey") + "," +
                    plain("MM_PLUGINSETTINGS_ENABLEUPLOADS", "true") + "," +
                    plain("MM_METRICSSETTINGS_ENABLE", "true") + "," +
                    plain("MM_METRICSSETTINGS_LISTENADDRESS", ":8067") + "," +
                    plain("MM_CLUSTERSETTINGS_ENABLE", "true") + "," +
                    plain("MM_CLUSTERSETTINGS_CLUSTERNAME", "production") + "," +
                    plain("MM_INSTALL_TYPE", "kubernetes-operator") + "," +
                    plain("MM_SERVICESETTINGS_SITEURL", "https://foo.example.com") + "," +
                    plain("MM_FILESETTINGS_MAXFILESIZE", "1048576000") + "]";
  std::string probe =
      R"("httpGet":{"path":"/api/v4/system/ping","port":8065},"initialDelaySeconds":10)";
  std::string container =
      R"({"command":["mattermost"],"env":)" + env +
      R"(,"image":"mattermost/mattermost-enterprise-edition:10.8.1","imagePullPolicy":"IfNotPresent",)"
      R"("livenessProbe":{"failureThreshold":3,)" +
      probe +
      R"(,"periodSeconds":10},)"
      R"("name":"mattermost","ports":[{"containerPort":8065,"name":"app"},)"
      R"({"containerPort":8067,"name":"metrics"}],"readinessProbe":{"failureThreshold":6,)" +
      probe +
      R"(,"periodSeconds":5},"resources":{"requests":{"cpu":"100m"}},)"
      R"("terminationMessagePolicy":"FallbackToLogsOnError"})";
  EXPECT_EQ(OperatorLastAppliedDocument(Child(desired, "Deployment"), "default"),
            "{" + Meta("foo") + R"(,"spec":{"replicas":1,"revisionHistoryLimit":5,)" +
                R"("selector":{"matchLabels":)" + kLabels + "}," +
                R"("strategy":{"rollingUpdate":{"maxSurge":1},"type":"RollingUpdate"},)" +
                R"("template":{"metadata":{"labels":)" + kLabels + R"(},"spec":{"containers":[)" +
                container + R"(],"serviceAccountName":"foo"}}},"status":{}})");
}

TEST(LastAppliedObjectTest, OperatorResourcesCarryGosEmptyStructs) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n");
  DesiredState desired = *BuildChildren(mattermost, {});
  std::string mysql =
      OperatorLastAppliedDocument(Child(desired, "MysqlCluster", "db-acbd18"), "default");
  EXPECT_NE(
      mysql.find(
          R"("podSpec":{"metricsExporterResources":{},"mysqlOperatorSidecarResources":{},"resources":{}})"),
      std::string::npos)
      << mysql;
  EXPECT_NE(mysql.find(R"(},"status":{}})"), std::string::npos) << mysql;
  std::string minio =
      OperatorLastAppliedDocument(Child(desired, "MinIOInstance", "foo-minio"), "default");
  EXPECT_NE(minio.find(R"("resources":{},)"), std::string::npos) << minio;
  EXPECT_NE(minio.find(R"("status":{}}},"status":{"availableReplicas":0}})"), std::string::npos)
      << minio;
  EXPECT_EQ(minio.find("apiVersion\":\"miniocontroller"), std::string::npos) << minio;
}

TEST(LastAppliedObjectTest, WithLastAppliedRecordsTheDocumentAndKeepsTheObject) {
  Mattermost mattermost = DefaultedWithSpec("  ingressName: h\n");
  DesiredState desired = *BuildChildren(mattermost, {});
  const rapidjson::Value& role = Child(desired, "Role");
  auto annotated = WithLastApplied(role, "default");
  auto recorded = ReadLastApplied(*annotated);
  ASSERT_TRUE(recorded.ok() && recorded->has_value());
  EXPECT_EQ(ToJson(**recorded), OperatorLastAppliedDocument(role, "default"));
  // Annotating again records the same document (the annotation itself is left out).
  EXPECT_EQ(OperatorLastAppliedDocument(*annotated, "default"),
            OperatorLastAppliedDocument(role, "default"));
  EXPECT_EQ(testing::At(*annotated, "/apiVersion"), R"("rbac.authorization.k8s.io/v1")");
}

// Whether `record` holds a member kept by Go's cleaning that `object` lacks, other than empty
// structs and (at the top) the status; list elements are paired by index.
bool AddsMembers(const rapidjson::Value& record, const rapidjson::Value* object, bool top) {
  if (record.IsArray()) {
    for (rapidjson::SizeType i = 0; i < record.Size(); ++i) {
      bool paired = object != nullptr && object->IsArray() && i < object->Size();
      if (AddsMembers(record[i], paired ? &(*object)[i] : nullptr, false)) return true;
    }
    return false;
  }
  if (!record.IsObject()) return false;
  for (const auto& member : record.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if ((top && name == "status") || !GoKeepsMember(member.value)) continue;
    const rapidjson::Value* mine = object != nullptr ? FindMember(*object, name) : nullptr;
    if (mine == nullptr || !GoKeepsMember(*mine)) {
      if (!IsEmptyStructs(member.value)) return true;
    } else if (AddsMembers(member.value, mine, false)) {
      return true;
    }
  }
  return false;
}

// The reconcile compares with a matching record as with none unless RecordAddsMembers: checked
// on the record of every kind of object the operator writes. Each record's document is the
// serialization of its object.
TEST(LastAppliedObjectTest, RecordAddsMembersOfItsOwnOnlyForTheIngressClass) {
  std::set<std::string> kinds;
  for (const char* spec :
       {"  ingressName: h\n", "  ingressName: h\n  fileStore: {local: {enabled: true}}\n",
        "  awsLoadBalancerController: {enabled: true, hosts: [{hostName: foo.example.com}]}\n"}) {
    Mattermost mattermost = DefaultedWithSpec(spec);
    RandomBytes random = Counting;
    DesiredState desired = *BuildChildren(mattermost, {}, &random);
    rapidjson::Document job = BuildUpdateJob(mattermost, Child(desired, "Deployment"));
    desired.children.push_back(
        {"batch/v1", "Job", "update", std::make_shared<const rapidjson::Document>(std::move(job))});
    for (const DesiredChild& child : desired.children) {
      if (!child.object) continue;
      kinds.insert(child.kind);
      rapidjson::Document record = OperatorRecordObject(*child.object, "default");
      std::string document = OperatorLastAppliedDocument(*child.object, "default");
      EXPECT_EQ(AddsMembers(record, child.object.get(), true), RecordAddsMembers(child.kind))
          << child.kind << " " << document;
      // The document is serialized with the record's edits applied on the fly: the same text as
      // the edited copy serialized.
      EXPECT_EQ(document, GoCanonicalJson(record)) << child.kind;
    }
  }
  EXPECT_EQ(kinds,
            (std::set<std::string>{"Deployment", "Ingress", "IngressClass", "Job", "MinIOInstance",
                                   "MysqlCluster", "PersistentVolumeClaim", "Role", "RoleBinding",
                                   "Secret", "Service", "ServiceAccount"}));
}

}  // namespace
}  // namespace mm
