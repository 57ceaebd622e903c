// Reconcile(desired, observed) -> Plan: create, update only what differs, recreate, delete,
// refuse, the update-job gate, and the health requeue.
#include "core/mattermost/reconcile.h"

#include <gtest/gtest.h>

#include <list>

#include "core/json_builder.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;
using testing::Yaml;

std::string Describe(const Plan& plan) {
  static const char* kNames[] = {"create",     "update",     "delete", "recreate",
                                 "create-job", "delete-job", "refuse"};
  std::string text;
  for (const Action& action : plan.actions) {
    text += std::string(kNames[static_cast<int>(action.type)]) + " " + action.kind + "/" +
            action.name + "\n";
  }
  if (plan.requeue_after_seconds) {
    text +=
        "requeue " + std::to_string(*plan.requeue_after_seconds) + "s: " + plan.waiting_for + "\n";
  }
  if (!plan.error.empty()) text += "error: " + plan.error + "\n";
  return text;
}

// A cluster where every desired child exists as the server would store it: our fields plus
// server-set ones (resourceVersion, uid, status, defaulted protocol).
class Cluster {
 public:
  void AddAll(const DesiredState& desired) {
    for (const DesiredChild& child : desired.children) {
      if (child.object) Add(child.kind, child.name, *child.object);
    }
  }
  rapidjson::Document& Add(const std::string& kind, const std::string& name,
                           const rapidjson::Value& object) {
    rapidjson::Document& copy = storage_.emplace_back();
    copy.CopyFrom(object, copy.GetAllocator());
    SetMember(copy["metadata"], "resourceVersion", JsonString("42", copy.GetAllocator()),
              copy.GetAllocator());
    SetMember(copy, "status", Json::Object({{"observedGeneration", 1}}).Build(copy.GetAllocator()),
              copy.GetAllocator());
    observed.objects[ObjectKey(kind, name)] = &copy;
    return copy;
  }
  ObservedState observed;

 private:
  std::list<rapidjson::Document> storage_;
};

constexpr char kSpec[] = "  ingress: {enabled: true, host: foo.mattermost.dev}\n  replicas: 1\n";

TEST(ReconcileTest, FreshInstallCreatesEverythingInOrderThenWaitsForHealth) {
  Mattermost mattermost = DefaultedWithSpec(kSpec);
  DesiredState desired = *BuildChildren(mattermost, {});
  Plan plan = Reconcile(mattermost, desired, {});
  EXPECT_EQ(Describe(plan),
            "create MysqlCluster/db-acbd18\ncreate MinIOInstance/foo-minio\ncreate Service/foo\n"
            "create ServiceAccount/foo\ncreate Role/foo\ncreate RoleBinding/foo\n"
            "create Ingress/foo\ncreate Deployment/foo\n"
            "requeue 6s: deployment not found\n");
  EXPECT_EQ(plan.status.state, "reconciling");
}

TEST(ReconcileTest, NothingChangedMeansNoWrites) {
  Mattermost mattermost = DefaultedWithSpec(kSpec);
  DesiredState desired = *BuildChildren(mattermost, {});
  Cluster cluster;
  cluster.AddAll(desired);
  EXPECT_EQ(Describe(Reconcile(mattermost, desired, cluster.observed)),
            "requeue 6s: deployment not found\n");
}

TEST(ReconcileTest, UpdatesOnlyWhatDiffersAndRecreatesOnServiceTypeChange) {
  Mattermost before = DefaultedWithSpec(kSpec);
  Cluster cluster;
  cluster.AddAll(*BuildChildren(before, {}));
  Mattermost after = DefaultedWithSpec(
      "  ingress: {enabled: true, host: foo.mattermost.dev}\n  replicas: 3\n"
      "  useServiceLoadBalancer: true\n");
  Plan plan = Reconcile(after, *BuildChildren(after, {}), cluster.observed);
  EXPECT_EQ(Describe(plan),
            "recreate Service/foo\nupdate Deployment/foo\nrequeue 6s: deployment not found\n");
  EXPECT_EQ(plan.actions[0].reason, "type ClusterIP -> LoadBalancer");
  EXPECT_EQ(plan.actions[1].reason, ".spec.replicas: expected 3, got 1");
}

TEST(ReconcileTest, DeletesWhatIsNoLongerWantedAndRefusesForeignObjects) {
  Mattermost with_ingress = DefaultedWithSpec(kSpec);
  Cluster cluster;
  cluster.AddAll(*BuildChildren(with_ingress, {}));
  Mattermost without =
      DefaultedWithSpec("  ingress: {enabled: false, host: foo.mattermost.dev}\n  replicas: 1\n");
  EXPECT_EQ(Describe(Reconcile(without, *BuildChildren(without, {}), cluster.observed)),
            "delete Ingress/foo\nrequeue 6s: deployment not found\n");

  Cluster foreign;
  foreign.Add("Service", "foo",
              Yaml("metadata: {name: foo, ownerReferences: [{kind: "
                   "Mattermost, name: other, uid: x}]}\nspec: {}\n"));
  Plan plan = Reconcile(with_ingress, *BuildChildren(with_ingress, {}), foreign.observed);
  EXPECT_EQ(Describe(plan),
            "create MysqlCluster/db-acbd18\ncreate MinIOInstance/foo-minio\nrefuse Service/foo\n"
            "error: Service \"foo\" exists and is not owned by Mattermost \"foo\"\n");
  EXPECT_EQ(plan.status.error, "Service \"foo\" exists and is not owned by Mattermost \"foo\"");
}

TEST(ReconcileTest, ImageChangeGoesThroughTheUpdateJob) {
  Mattermost old_version = DefaultedWithSpec(kSpec);
  Cluster cluster;
  cluster.AddAll(*BuildChildren(old_version, {}));
  Mattermost upgraded = DefaultedWithSpec(std::string(kSpec) + "  version: 10.9.0\n");
  DesiredState desired = *BuildChildren(upgraded, {});
  EXPECT_EQ(Describe(Reconcile(upgraded, desired, cluster.observed)),
            "create-job Job/mattermost-update-check\nrequeue 10s: update job to start\n");

  auto job = [](const std::string& version, const std::string& status) {
    return Yaml(
        "kind: Job\nspec: {template: {spec: {containers: [{name: mattermost, image: "
        "mattermost/mattermost-enterprise-edition:" +
        version + "}]}}}\nstatus: " + status + "\n");
  };
  struct Case {
    rapidjson::Document job;
    std::string plan;
  };
  Case cases[] = {
      {job("10.9.0", "{active: 1}"), "requeue 10s: update job to finish\n"},
      {job("10.8.2", "{active: 1}"),
       "delete-job Job/mattermost-update-check\ncreate-job Job/mattermost-update-check\n"
       "requeue 10s: update job restarted for mattermost/mattermost-enterprise-edition:10.9.0\n"},
      {job("10.9.0", "{failed: 11, conditions: [{type: Failed, status: 'True'}]}"),
       "delete-job Job/mattermost-update-check\nerror: update image job failed\n"},
      {job("10.9.0", "{succeeded: 1, conditions: [{type: Complete, status: 'True'}]}"),
       "update Deployment/foo\ndelete-job Job/mattermost-update-check\n"
       "requeue 6s: deployment not found\n"},
  };
  for (Case& c : cases) {
    ObservedState observed = cluster.observed;
    observed.update_job = &c.job;
    EXPECT_EQ(Describe(Reconcile(upgraded, desired, observed)), c.plan);
  }
}

}  // namespace
}  // namespace mm
