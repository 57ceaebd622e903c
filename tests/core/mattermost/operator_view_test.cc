// Switching modes is a no-op (operator.md §4): after a client-side reconcile the operator's
// objectmatcher finds nothing to change, and after the operator wrote the objects our reconcile
// finds nothing to change. "The operator's view" is its comparison: the last-applied record read
// from the live object, its desired object (the Go document it would record), the live object.
#include <gtest/gtest.h>

#include <list>

#include "core/json_builder.h"
#include "core/last_applied.h"
#include "core/mattermost/children.h"
#include "core/mattermost/last_applied_object.h"
#include "core/mattermost/reconcile.h"
#include "core/three_way_diff.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;
using testing::Yaml;

void Counting(uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i);
}

void Set(rapidjson::Value& object, std::string_view key, Json value,
         rapidjson::Document::AllocatorType& allocator) {
  SetMember(object, key, value.Build(allocator), allocator);
}

// Server defaults for a pod spec: what the API server adds to every pod template.
void DefaultPodSpec(rapidjson::Value& pod, rapidjson::Document::AllocatorType& allocator) {
  Set(pod, "restartPolicy", "Always", allocator);
  Set(pod, "dnsPolicy", "ClusterFirst", allocator);
  Set(pod, "terminationGracePeriodSeconds", 30, allocator);
  Set(pod, "securityContext", Json::Object({}), allocator);
  for (const char* list : {"initContainers", "containers"}) {
    auto containers = pod.FindMember(list);
    if (containers == pod.MemberEnd()) continue;
    for (rapidjson::Value& container : containers->value.GetArray()) {
      Set(container, "terminationMessagePath", "/dev/termination-log", allocator);
      EnsureObject(container, "resources", allocator);
      auto ports = container.FindMember("ports");
      if (ports == container.MemberEnd()) continue;
      for (rapidjson::Value& port : ports->value.GetArray())
        Set(port, "protocol", "TCP", allocator);
    }
  }
}

// The object as the API server stores it after a write of `written`: server metadata, a status
// that is not ours, defaulted fields.
rapidjson::Document Stored(const rapidjson::Value& written) {
  rapidjson::Document stored;
  auto& allocator = stored.GetAllocator();
  stored.CopyFrom(written, allocator);
  rapidjson::Value& metadata = EnsureObject(stored, "metadata", allocator);
  Set(metadata, "uid", "9d7e", allocator);
  Set(metadata, "resourceVersion", "4711", allocator);
  Set(metadata, "creationTimestamp", "2026-11-21T09:00:00Z", allocator);
  Set(metadata, "managedFields", Json::Array({Json::Object({{"manager", "someone"}})}), allocator);
  std::string kind = GetString(stored, "kind");
  if (kind == "Deployment" || kind == "Job") {
    rapidjson::Value& spec = EnsureObject(stored, "spec", allocator);
    DefaultPodSpec(EnsureObject(EnsureObject(spec, "template", allocator), "spec", allocator),
                   allocator);
    Set(stored, "status", Json::Object({{"replicas", 2}, {"observedGeneration", 1}}), allocator);
  } else if (kind == "Service") {
    rapidjson::Value& spec = EnsureObject(stored, "spec", allocator);
    Set(spec, "sessionAffinity", "None", allocator);
    Set(spec, "ipFamilies", Json::Array({"IPv4"}), allocator);
    if (!spec.HasMember("clusterIP")) Set(spec, "clusterIP", "10.0.0.7", allocator);
    Set(spec, "clusterIPs", Json::Array({GetString(spec, "clusterIP")}), allocator);
    for (rapidjson::Value& port : spec["ports"].GetArray()) Set(port, "protocol", "TCP", allocator);
  } else if (kind == "MinIOInstance") {
    Set(stored, "status", Json::Object({{"availableReplicas", 4}}), allocator);
  } else if (kind == "RoleBinding") {
    Set(stored["subjects"][0], "apiGroup", "", allocator);
    Set(stored["roleRef"], "apiGroup", "rbac.authorization.k8s.io", allocator);
  } else if (kind == "IngressClass") {
    metadata.RemoveMember("namespace");  // cluster-scoped: the server drops it
  }
  return stored;
}

// What the operator's Create sends for a desired child: the Go object (our object plus the empty
// structs Go writes, the controller reference) with the annotation recording its document.
rapidjson::Document OperatorWritten(const rapidjson::Value& desired) {
  rapidjson::Document written;
  written.CopyFrom(*WithLastApplied(desired, "default"), written.GetAllocator());
  return written;
}

// The operator's view of one live child: its desired object as it compares it (a Service with the
// live addresses copied in), the record it reads from the live object, and the comparison.
std::string OperatorFindsToChange(const std::string& kind, const rapidjson::Value& desired,
                                  const rapidjson::Value& live) {
  rapidjson::Document compared;
  if (kind == "Service") {
    compared = WithLiveServiceAddresses(desired, live);
  } else {
    compared.CopyFrom(desired, compared.GetAllocator());
  }
  rapidjson::Document modified = *ParseJson(OperatorLastAppliedDocument(compared, "default"));
  auto recorded = ReadLastApplied(live);
  if (!recorded.ok() || !recorded->has_value()) return "no record";
  return ThreeWayDifference(&**recorded, modified, live).value_or("");
}

// The recorded document, as stored in the annotation.
std::string Recorded(const rapidjson::Value& live) {
  return *DecodeLastApplied(live["metadata"]["annotations"][kLastAppliedAnnotation].GetString());
}

// The children the operator compares with (no deletions), by "Kind/name".
std::map<std::string, const rapidjson::Value*> Wanted(const DesiredState& desired) {
  std::map<std::string, const rapidjson::Value*> wanted;
  for (const DesiredChild& child : desired.children) {
    if (child.object) wanted[ObjectKey(child.kind, child.name)] = &*child.object;
  }
  return wanted;
}

class ModeSwitchTest : public ::testing::TestWithParam<const char*> {
 protected:
  Mattermost mattermost_ = DefaultedWithSpec(GetParam());
  RandomBytes random_ = Counting;
  ClusterFacts facts_ = [] {
    ClusterFacts facts;
    facts.external_db_secret = {{"DB_CONNECTION_STRING", "mysql://u:p@tcp(db:3306)/mm"},
                                {"DB_CONNECTION_CHECK_URL", "http://db:3306"}};
    return facts;
  }();
  DesiredState desired_ = *BuildChildren(mattermost_, facts_, &random_);
  std::list<rapidjson::Document> storage_;

  std::string Writes(const ObservedState& observed) {
    std::string writes;
    for (const Action& action : Reconcile(mattermost_, desired_, observed).actions) {
      writes += action.kind + "/" + action.name + " " + action.reason + "\n";
    }
    return writes;
  }
};

TEST_P(ModeSwitchTest, AfterAClientSideRunTheOperatorFindsNothingToChange) {
  ObservedState observed;
  for (const Action& action : Reconcile(mattermost_, desired_, {}).actions) {
    ASSERT_EQ(action.type, ActionType::kCreate) << action.kind;
    observed.objects[ObjectKey(action.kind, action.name)] =
        &storage_.emplace_back(Stored(*action.object));
  }
  for (const auto& [key, desired] : Wanted(desired_)) {
    const rapidjson::Value& live = *observed.objects.at(key);
    std::string kind = key.substr(0, key.find('/'));
    // We record exactly what the operator would record when it creates the object ...
    EXPECT_EQ(Recorded(live), OperatorLastAppliedDocument(*desired, "default")) << key;
    // ... and its comparison of its desired object with the live one finds nothing. QUIRK (not
    // ours to fix): its IngressClass carries a namespace the server drops from a cluster-scoped
    // object, so the operator rewrites the IngressClass on every reconcile, whoever wrote it.
    EXPECT_EQ(
        OperatorFindsToChange(kind, *desired, live),
        kind == "IngressClass" ? ".metadata.namespace: expected \"default\", got <absent>" : "")
        << key;
  }
  // Our own next reconcile writes nothing either.
  EXPECT_EQ(Writes(observed), "");
}

TEST_P(ModeSwitchTest, AfterTheOperatorWroteTheObjectsWeFindNothingToChange) {
  ObservedState observed;
  for (const auto& [key, desired] : Wanted(desired_)) {
    observed.objects[key] = &storage_.emplace_back(Stored(OperatorWritten(*desired)));
  }
  EXPECT_EQ(Writes(observed), "");
}

INSTANTIATE_TEST_SUITE_P(
    Modes, ModeSwitchTest,
    ::testing::Values(
        "  ingress: {enabled: true, host: foo.mattermost.dev}\n",
        "  licenseSecret: license\n  ingress: {enabled: true, host: foo.example.com, "
        "tlsSecret: tls, annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 10m}}\n"
        "  database: {external: {secret: db}}\n"
        "  fileStore: {external: {url: s3.amazonaws.com, bucket: b, secret: s3}}\n"
        "  resourceLabels: {team: a}\n  podTemplate: {extraLabels: {tier: web}}\n"
        "  jobServer: {dedicatedJobServer: true}\n",
        "  useServiceLoadBalancer: true\n  ingressName: foo.example.com\n"
        "  fileStore: {local: {enabled: true}}\n  deploymentTemplate: {deploymentStrategyType: "
        "Recreate}\n",
        "  awsLoadBalancerController: {enabled: true, hosts: [{hostName: a.example.com}]}\n"
        "  database: {external: {secret: db}, readinessCheck: {mode: builtin}}\n"
        "  fileStore: {externalVolume: {volumeClaimName: data}}\n"
        "  mattermostEnv: [{name: MM_EXTRA, value: \"x&y\"}]\n"));

// A label dropped from spec.resourceLabels is removed from the objects, as the operator does
// (its record still has it, the live object too), and afterwards both sides agree again.
TEST(ModeSwitchLabelsTest, RemovingAResourceLabelUpdatesAndConverges) {
  RandomBytes random = Counting;
  Mattermost before = DefaultedWithSpec(
      "  ingress: {enabled: true, host: foo.example.com}\n  resourceLabels: {team: a}\n");
  DesiredState first = *BuildChildren(before, {}, &random);
  std::list<rapidjson::Document> storage;
  ObservedState observed;
  for (const Action& action : Reconcile(before, first, {}).actions) {
    observed.objects[ObjectKey(action.kind, action.name)] =
        &storage.emplace_back(Stored(*action.object));
  }
  Mattermost after = DefaultedWithSpec("  ingress: {enabled: true, host: foo.example.com}\n");
  DesiredState second = *BuildChildren(after, {}, &random);
  std::string updates;
  for (const Action& action : Reconcile(after, second, observed).actions) {
    updates += action.kind + "/" + action.name + ": " + action.reason + "\n";
    observed.objects[ObjectKey(action.kind, action.name)] =
        &storage.emplace_back(Stored(*action.object));
  }
  EXPECT_EQ(updates,
            "Service/foo: .metadata.labels.team: removed, got \"a\"\n"
            "Ingress/foo: .metadata.labels.team: removed, got \"a\"\n"
            "Deployment/foo: .metadata.labels.team: removed, got \"a\"\n");
  for (const auto& [key, desired] : Wanted(second)) {
    EXPECT_EQ(
        OperatorFindsToChange(key.substr(0, key.find('/')), *desired, *observed.objects.at(key)),
        "")
        << key;
  }
  std::string again;
  for (const Action& action : Reconcile(after, second, observed).actions)
    again += action.kind + "\n";
  EXPECT_EQ(again, "");
}

}  // namespace
}  // namespace mm
