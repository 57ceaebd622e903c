#include "tests/sandbox/sim/cluster.h"

#include <gtest/gtest.h>

#include <map>

#include "core/json.h"
#include "tests/sandbox/sim/cluster_fixture.h"
#include "tests/sandbox/table.h"

namespace sandbox::sim {
namespace {

TEST_F(ClusterTest, DeploymentBecomesAvailableWithControllerStatus) {
  ASSERT_EQ(Call("POST", "/apis/apps/v1/namespaces/default/deployments",
                 Deployment("mattermost/mattermost-enterprise-edition:9.11.1"))
                .code,
            201);
  const std::string d = "/apis/apps/v1/namespaces/default/deployments/web";
  timers_.RunFor(milliseconds(100));
  EXPECT_EQ(Get(d, ".status.replicas"), "2");
  EXPECT_EQ(Get(d, ".status.unavailableReplicas"), "2");
  // Pods exist but are not ready: Progressing moved last with ReplicaSetUpdated.
  EXPECT_EQ(Get(d, ".status.conditions[0].reason"), "MinimumReplicasUnavailable");
  EXPECT_EQ(Get(d, ".status.conditions[1].reason"), "ReplicaSetUpdated");
  timers_.RunFor(milliseconds(1000));
  EXPECT_EQ(Get(d, ".status.observedGeneration"), "1");
  EXPECT_EQ(Get(d, ".status.replicas"), "2");
  EXPECT_EQ(Get(d, ".status.updatedReplicas"), "2");
  EXPECT_EQ(Get(d, ".status.readyReplicas"), "2");
  EXPECT_EQ(Get(d, ".status.availableReplicas"), "2");
  EXPECT_EQ(Get(d, ".status.unavailableReplicas"), "<missing>");
  EXPECT_EQ(Get(d, ".status.conditions[0].type"), "Available");
  EXPECT_EQ(Get(d, ".status.conditions[0].reason"), "MinimumReplicasAvailable");
  EXPECT_EQ(Get(d, ".status.conditions[1].type"), "Progressing");
  EXPECT_EQ(Get(d, ".status.conditions[1].reason"), "NewReplicaSetAvailable");
  std::string rs = Names("/apis/apps/v1/namespaces/default/replicasets");
  EXPECT_EQ(
      Get("/apis/apps/v1/namespaces/default/replicasets/" + rs, ".metadata.annotations"),
      R"({"deployment.kubernetes.io/desired-replicas":"2",)"
      R"("deployment.kubernetes.io/max-replicas":"3","deployment.kubernetes.io/revision":"1"})");
  EXPECT_EQ(Get(d, ".status.conditions[1].message"),
            "ReplicaSet \"" + rs + "\" has successfully progressed.");
  // The Deployment carries its newest ReplicaSet's revision, as kube-controller-manager writes it.
  EXPECT_EQ(Get(d, ".metadata.annotations"), R"({"deployment.kubernetes.io/revision":"1"})");
  EXPECT_EQ(Get(d, ".metadata.generation"), "1");
}

TEST_F(ClusterTest, RollingUpdateReplacesTheReplicaSetAndKeepsHistory) {
  Call("POST", "/apis/apps/v1/namespaces/default/deployments", Deployment("nginx:1.25"));
  timers_.RunFor(milliseconds(1000));
  std::string first = Names("/apis/apps/v1/namespaces/default/replicasets");
  ASSERT_EQ(
      Call("PUT", "/apis/apps/v1/namespaces/default/deployments/web", Deployment("nginx:1.26"))
          .code,
      200);
  timers_.RunFor(milliseconds(3000));
  const std::string d = "/apis/apps/v1/namespaces/default/deployments/web";
  EXPECT_EQ(Get(d, ".status.observedGeneration"), "2");
  EXPECT_EQ(Get(d, ".status.updatedReplicas"), "2");
  EXPECT_EQ(Get(d, ".status.availableReplicas"), "2");
  EXPECT_EQ(Get(d, ".status.conditions[1].reason"), "NewReplicaSetAvailable");
  EXPECT_EQ(Get(d, ".metadata.annotations"), R"({"deployment.kubernetes.io/revision":"2"})");
  std::string sets = Names("/apis/apps/v1/namespaces/default/replicasets");
  ASSERT_EQ(sets.size(), 2 * first.size() + 1) << sets;
  EXPECT_EQ(Get("/apis/apps/v1/namespaces/default/replicasets/" + first, ".spec.replicas"), "0");
  std::string pods = Names("/api/v1/namespaces/default/pods");
  EXPECT_EQ(std::count(pods.begin(), pods.end(), ' '), 1) << pods;
  EXPECT_EQ(pods.find(first), std::string::npos) << pods;
}

constexpr const char* kJob = R"({"apiVersion":"batch/v1","kind":"Job",
  "metadata":{"name":"migrate","namespace":"default"},
  "spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never",
    "containers":[{"name":"mm","image":"IMAGE","args":["db","migrate"]}]}}}})";

std::string Job(const std::string& image) {
  std::string text = kJob;
  return text.replace(text.find("IMAGE"), 5, image);
}

TEST_F(ClusterTest, UpdateJobSucceedsWithLogs) {
  Call("POST", "/apis/batch/v1/namespaces/default/jobs", Job("mattermost/mm:9.11.1"));
  timers_.RunFor(milliseconds(1000));
  const std::string j = "/apis/batch/v1/namespaces/default/jobs/migrate";
  EXPECT_EQ(Get(j, ".status.succeeded"), "1");
  EXPECT_EQ(Get(j, ".status.active"), "<missing>");
  EXPECT_EQ(Get(j, ".status.conditions[1].type"), "Complete");
  EXPECT_EQ(Get(j, ".status.conditions[1].reason"), "CompletionsReached");
  EXPECT_NE(Get(j, ".status.completionTime"), "<missing>");
  std::string pod = Names("/api/v1/namespaces/default/pods");
  // The API server's job defaults: a generated selector the pods' labels match.
  EXPECT_EQ(Names("/api/v1/namespaces/default/pods?labelSelector=job-name%3Dmigrate"), pod);
  EXPECT_EQ(Get(j, ".spec.completionMode"), "NonIndexed");
  Response log = Call("GET", "/api/v1/namespaces/default/pods/" + pod + "/log?tailLines=1");
  EXPECT_EQ(log.body, "{\"level\":\"info\",\"msg\":\"Migrations completed\",\"applied\":2}\n");
  EXPECT_EQ(Get("/api/v1/namespaces/default/pods/" + pod,
                ".status.containerStatuses[0].state.terminated.reason"),
            "Completed");
}

TEST_F(ClusterTest, FailingUpdateJobExhaustsItsBackoffLimit) {
  Call("POST", "/apis/batch/v1/namespaces/default/jobs", Job("mattermost/mm:9.11.1-fail"));
  timers_.RunFor(milliseconds(3000));
  const std::string j = "/apis/batch/v1/namespaces/default/jobs/migrate";
  EXPECT_EQ(Get(j, ".status.failed"), "2");
  EXPECT_EQ(Get(j, ".status.succeeded"), "<missing>");
  EXPECT_EQ(Get(j, ".status.completionTime"), "<missing>");
  EXPECT_EQ(Get(j, ".status.conditions[1].type"), "Failed");
  EXPECT_EQ(Get(j, ".status.conditions[1].reason"), "BackoffLimitExceeded");
  EXPECT_EQ(Get(j, ".status.conditions[1].message"), "Job has reached the specified backoff limit");
}

// A job created with spec.suspend runs no pod and says so (Suspended True, JobSuspended, no
// startTime) until it is resumed; then it runs to completion with Suspended False (JobResumed).
TEST_F(ClusterTest, SuspendedJobRunsOnceResumed) {
  std::string job = Job("mattermost/mm:9.11.1");
  job.replace(job.find("\"backoffLimit\":1"), 16, "\"backoffLimit\":1,\"suspend\":true");
  ASSERT_EQ(Call("POST", "/apis/batch/v1/namespaces/default/jobs", job).code, 201);
  const std::string j = "/apis/batch/v1/namespaces/default/jobs/migrate";
  timers_.RunFor(milliseconds(1000));
  EXPECT_EQ(Names("/api/v1/namespaces/default/pods"), "");
  EXPECT_EQ(Get(j, ".status.conditions[0].type"), "Suspended");
  EXPECT_EQ(Get(j, ".status.conditions[0].status"), "True");
  EXPECT_EQ(Get(j, ".status.conditions[0].reason"), "JobSuspended");
  EXPECT_EQ(Get(j, ".status.conditions[0].message"), "Job suspended");
  EXPECT_EQ(Get(j, ".status.startTime"), "<missing>");
  std::string stored = Call("GET", j).body;
  stored.replace(stored.find("\"suspend\":true"), 14, "\"suspend\":false");
  ASSERT_EQ(Call("PUT", j, stored).code, 200);
  timers_.RunFor(milliseconds(1000));
  EXPECT_EQ(Get(j, ".status.conditions[0].type"), "Suspended");
  EXPECT_EQ(Get(j, ".status.conditions[0].status"), "False");
  EXPECT_EQ(Get(j, ".status.conditions[0].reason"), "JobResumed");
  EXPECT_EQ(Get(j, ".status.conditions[2].type"), "Complete");
  EXPECT_EQ(Get(j, ".status.succeeded"), "1");
  EXPECT_NE(Get(j, ".status.startTime"), "<missing>");
}

TEST_F(ClusterTest, CrashLoopAndPullFailuresShowInContainerStatus) {
  Call("POST", "/apis/apps/v1/namespaces/default/deployments", Deployment("nginx:crashloop"));
  timers_.RunFor(milliseconds(1500));
  std::string pod = Names("/api/v1/namespaces/default/pods");
  pod = pod.substr(0, pod.find(' '));
  const std::string p = "/api/v1/namespaces/default/pods/" + pod;
  EXPECT_NE(Get(p, ".status.containerStatuses[0].restartCount"), "0");
  EXPECT_EQ(Get(p, ".status.containerStatuses[0].lastState.terminated.exitCode"), "1");
  Response previous = Call("GET", p + "/log?previous=true");
  EXPECT_EQ(previous.body, "starting nginx\nfatal: exiting with status 1\n") << previous.body;
  Call("DELETE", "/apis/apps/v1/namespaces/default/deployments/web");
  Call("POST", "/apis/apps/v1/namespaces/default/deployments", Deployment("missing/app:1"));
  timers_.RunFor(milliseconds(1500));
  pod = Names("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb");
  EXPECT_EQ(Get("/api/v1/namespaces/default/pods/" + pod.substr(0, pod.find(' ')),
                ".status.containerStatuses[0].state.waiting.reason"),
            "ImagePullBackOff");
}

std::string PodRequesting(const std::string& name, const std::string& cpu) {
  return R"({"metadata":{"name":")" + name +
         R"("},"spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":")" +
         cpu + R"("}}}]}})";
}

// Three nodes of 4 cores: a pod that fits nowhere stays Pending and says why, as kube-scheduler
// does; it is placed once a pod that held the room is deleted.
TEST_F(ClusterTest, PodsThatDoNotFitStayPendingUntilThereIsRoom) {
  const std::string pods = "/api/v1/namespaces/default/pods";
  ASSERT_EQ(Call("POST", pods, PodRequesting("huge", "5")).code, 201);
  for (const char* name : {"hog-1", "hog-2", "hog-3"}) {
    ASSERT_EQ(Call("POST", pods, PodRequesting(name, "3")).code, 201);
  }
  ASSERT_EQ(Call("POST", pods, PodRequesting("late", "2")).code, 201);
  timers_.RunFor(milliseconds(100));
  const std::string message =
      "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No "
      "preemption victims found for incoming pod.";
  EXPECT_EQ(Get(pods + "/huge", ".status.phase"), "Pending");
  EXPECT_EQ(Get(pods + "/huge", ".spec.nodeName"), "<missing>");
  EXPECT_EQ(Get(pods + "/huge", ".status.conditions"),
            R"([{"type":"PodScheduled","status":"False","lastProbeTime":null,)"
            R"("lastTransitionTime":"2025-01-01T00:00:00Z","reason":"Unschedulable","message":")" +
                message + R"("}])");
  EXPECT_NE(Get(pods + "/hog-3", ".spec.nodeName"), "<missing>");
  EXPECT_EQ(Get(pods + "/late", ".status.conditions[0].reason"), "Unschedulable");
  auto events = mm::ParseJson(Call("GET", "/api/v1/namespaces/default/events").body);
  int failed = 0;
  for (const auto& event : (*events)["items"].GetArray()) {
    if (Str(event, "reason") != "FailedScheduling") continue;
    ++failed;
    EXPECT_EQ(Str(event, "type"), "Warning");
    EXPECT_EQ(Str(event, "message"), message);
    EXPECT_EQ(Str(*Member(event, "source"), "component"), "default-scheduler");
  }
  EXPECT_EQ(failed, 2);  // huge and late, once each

  ASSERT_EQ(Call("DELETE", pods + "/hog-2").code, 200);
  timers_.RunFor(milliseconds(100));
  EXPECT_EQ(Get(pods + "/late", ".status.conditions").find("Unschedulable"), std::string::npos);
  EXPECT_NE(Get(pods + "/late", ".spec.nodeName"), "<missing>");
  EXPECT_EQ(Get(pods + "/huge", ".status.phase"), "Pending");
}

// A failed job pod is replaced after a back-off that doubles per failure (a quarter of the pod
// delay first: 50 ms here), not at once.
TEST_F(ClusterTest, FailedJobPodsAreReplacedAfterADoublingBackOff) {
  std::string job = Job("mattermost/mm:9.11.1-fail");
  job.replace(job.find("\"backoffLimit\":1"), 16, "\"backoffLimit\":2");
  ASSERT_EQ(Call("POST", "/apis/batch/v1/namespaces/default/jobs", job).code, 201);
  const std::string j = "/apis/batch/v1/namespaces/default/jobs/migrate";
  // Virtual time (ms) at which status.failed reached N, and at which the (N+1)-th pod appeared.
  std::map<int, int> failed_at, pod_at;
  for (int t = 0; t <= 3000; t += 5) {
    std::string failed = Get(j, ".status.failed");
    int count = failed == "<missing>" ? 0 : std::stoi(failed);
    failed_at.try_emplace(count, t);
    std::string pods = Names("/api/v1/namespaces/default/pods");
    pod_at.try_emplace(
        pods.empty() ? 0 : 1 + static_cast<int>(std::count(pods.begin(), pods.end(), ' ')), t);
    timers_.RunFor(milliseconds(5));
  }
  ASSERT_TRUE(failed_at.count(3)) << "the job did not fail three times";
  EXPECT_EQ(Get(j, ".status.conditions[1].reason"), "BackoffLimitExceeded");
  ASSERT_TRUE(pod_at.count(2) && pod_at.count(3));
  int first_wait = pod_at[2] - failed_at[1];
  int second_wait = pod_at[3] - failed_at[2];
  EXPECT_GE(first_wait, 50);
  EXPECT_LT(first_wait, 80);
  EXPECT_GE(second_wait, 100);
  EXPECT_LT(second_wait, 130);
}

constexpr const char* kStatefulSet = R"({"apiVersion":"apps/v1","kind":"StatefulSet",
  "metadata":{"name":"db","namespace":"default"},
  "spec":{"replicas":3,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
    "template":{"metadata":{"labels":{"app":"db"}},
      "spec":{"containers":[{"name":"db","image":"IMAGE"}]}}}})";

// Records the order in which pods are deleted.
struct DeletionOrder : EventListener {
  void OnEvent(const Event& event) override {
    if (event.type == EventType::kDeleted) keys.push_back(event.key);
  }
  std::vector<std::string> keys;
};

// OrderedReady: db-1 is created only once db-0 is Ready, and so on; scale-down removes the
// highest ordinal first; a new template replaces the pods highest first.
TEST_F(ClusterTest, StatefulSetPodsComeUpInOrderAndGoDownInReverse) {
  std::string set = kStatefulSet;
  set.replace(set.find("IMAGE"), 5, "postgres:16");
  ASSERT_EQ(Call("POST", "/apis/apps/v1/namespaces/default/statefulsets", set).code, 201);
  const std::string s = "/apis/apps/v1/namespaces/default/statefulsets/db";
  const std::string pods = "/api/v1/namespaces/default/pods";
  timers_.RunFor(milliseconds(100));
  EXPECT_EQ(Names(pods), "db-0");  // not ready yet: db-1 waits
  EXPECT_EQ(Get(pods + "/db-0", ".spec.hostname"), "db-0");
  EXPECT_EQ(Get(pods + "/db-0", ".spec.subdomain"), "db");
  EXPECT_NE(Get(pods + "/db-0", ".metadata.labels").find(R"("apps.kubernetes.io/pod-index":"0")"),
            std::string::npos);
  timers_.RunFor(milliseconds(250));
  EXPECT_EQ(Names(pods), "db-0 db-1");
  timers_.RunFor(milliseconds(1000));
  EXPECT_EQ(Names(pods), "db-0 db-1 db-2");
  EXPECT_EQ(Get(s, ".status.readyReplicas"), "3");
  EXPECT_EQ(Get(s, ".status.availableReplicas"), "3");
  EXPECT_EQ(Get(s, ".status.updatedReplicas"), "3");
  EXPECT_EQ(Get(s, ".status.observedGeneration"), "1");
  std::string revision = Get(s, ".status.updateRevision");
  EXPECT_EQ(Get(s, ".status.currentRevision"), revision);
  EXPECT_EQ(revision.rfind("db-", 0), 0u);
  EXPECT_EQ(Get(pods + "/db-2", ".metadata.labels.controller-revision-hash"), revision);

  std::string updated = set;
  updated.replace(updated.find("postgres:16"), 11, "postgres:17");
  ASSERT_EQ(Call("PUT", s, updated).code, 200);
  timers_.RunFor(milliseconds(50));
  EXPECT_NE(Get(s, ".status.updateRevision"), revision);
  EXPECT_EQ(Get(s, ".status.currentRevision"), revision);  // the rollout is under way
  timers_.RunFor(milliseconds(3000));
  EXPECT_EQ(Get(pods + "/db-0", ".spec.containers[0].image"), "postgres:17");
  EXPECT_EQ(Get(s, ".status.currentRevision"), Get(s, ".status.updateRevision"));
  EXPECT_EQ(Get(s, ".status.updatedReplicas"), "3");

  updated.replace(updated.find("\"replicas\":3"), 12, "\"replicas\":1");
  DeletionOrder deletions;
  api_.store().Subscribe("/pods", &deletions);
  ASSERT_EQ(Call("PUT", s, updated).code, 200);
  timers_.RunFor(milliseconds(200));
  api_.store().Unsubscribe("/pods", &deletions);
  EXPECT_EQ(Names(pods), "db-0");
  EXPECT_EQ(deletions.keys, (std::vector<std::string>{"default/db-2", "default/db-1"}));
  EXPECT_EQ(Get(s, ".status.replicas"), "1");
}

}  // namespace
}  // namespace sandbox::sim
