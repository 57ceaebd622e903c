// PlanRestore: the MattermostRestoreDB controller (operator.md §8) with its quirks fixed, step
// by step against ClusterInstallation `foo` (MySQL StatefulSet db-acbd18-mysql).
#include "core/mattermost/restore.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

MattermostRestoreDb Restore(std::string state = "", int32_t original = 0) {
  return MattermostRestoreDb{.name = "r",
                             .namespace_ = "ns",
                             .mattermost_cluster_name = "foo",
                             .restore_secret = "restore",
                             .init_bucket_url = "s3://bucket/backup.gz",
                             .state = std::move(state),
                             .original_db_replicas = original};
}

rapidjson::Document Ci(const char* database) {
  return *ParseJson(std::string(R"({"spec":{"database":)") + database + "}}");
}

constexpr char kPatched[] =
    R"({"replicas":0,"initBucketURL":"s3://bucket/backup.gz","backupRestoreSecretName":"restore"})";

// The plan in one line per part.
std::string Describe(const RestorePlan& plan) {
  std::string text = "state " + plan.state + " original " +
                     std::to_string(plan.original_db_replicas) +
                     (plan.status_first ? " (status first)" : "") + "\n";
  if (plan.cluster_installation_patch)
    text += "ci " + ToJson(*plan.cluster_installation_patch) + "\n";
  if (plan.mysql_secret_patch) text += "secret " + ToJson(*plan.mysql_secret_patch) + "\n";
  for (const std::string& claim : plan.delete_volume_claims) text += "delete " + claim + "\n";
  if (plan.requeue_after_seconds) {
    text +=
        "requeue " + std::to_string(*plan.requeue_after_seconds) + "s: " + plan.waiting_for + "\n";
  }
  if (!plan.error.empty()) text += "error: " + plan.error + "\n";
  return text;
}

TEST(RestoreTest, ValidatesBeforeTouchingAnything) {
  EXPECT_EQ(ValidateMattermostRestoreDb(Restore()), std::vector<std::string>{});
  MattermostRestoreDb empty;
  EXPECT_EQ(
      ValidateMattermostRestoreDb(empty),
      (std::vector<std::string>{"spec.mattermostClusterName: required",
                                "spec.restoreSecret: required", "spec.initBucketURL: required"}));
  MattermostRestoreDb bad = Restore();
  bad.init_bucket_url = "bucket/backup.gz";
  EXPECT_EQ(ValidateMattermostRestoreDb(bad),
            std::vector<std::string>{"spec.initBucketURL: \"bucket/backup.gz\" is not a URL "
                                     "(e.g. s3://bucket/backup.xbackup.gz)"});
}

TEST(RestoreTest, WalksThroughTheRestore) {
  rapidjson::Document running = Ci(R"({"replicas":3})");
  rapidjson::Document patched = Ci(kPatched);
  rapidjson::Document back = Ci(
      R"({"replicas":3,"initBucketURL":"s3://bucket/backup.gz","backupRestoreSecretName":"restore"})");
  rapidjson::Document ready = *ParseJson(R"({"status":{"readyReplicas":1}})");
  rapidjson::Document stopped = *ParseJson(R"({"status":{"replicas":0}})");
  struct Case {
    const char* what;
    MattermostRestoreDb restore;
    RestoreObservation observed;
    std::string expected;
  };
  const Case kCases[] = {
      {"start: record the replicas first, then scale the database to 0",
       Restore(),
       {.cluster_installation = &running},
       std::string("state restoring original 3 (status first)\nci {\"spec\":{\"database\":") +
           kPatched + "}}\nrequeue 3s: the MySQL cluster to scale to 0\n"},
      {"the scale-down patch did not land: again",
       Restore("restoring", 3),
       {.cluster_installation = &running},
       std::string("state restoring original 3\nci {\"spec\":{\"database\":") + kPatched +
           "}}\nrequeue 3s: the MySQL cluster to scale to 0\n"},
      {"MySQL still has a ready replica",
       Restore("restoring", 3),
       {.cluster_installation = &patched, .mysql_stateful_set = &ready},
       "state restoring original 3\nrequeue 3s: StatefulSet db-acbd18-mysql to scale to 0\n"},
      {"MySQL pods still terminating",
       Restore("restoring", 3),
       {.cluster_installation = &patched, .mysql_stateful_set = &stopped, .mysql_pods = 2},
       "state restoring original 3\nrequeue 3s: the MySQL pods to terminate\n"},
      {"stopped: drop the old volumes and scale back up",
       Restore("restoring", 3),
       {.cluster_installation = &patched,
        .mysql_stateful_set = &stopped,
        .existing_volume_claims = {"data-db-acbd18-mysql-0", "data-db-acbd18-mysql-2", "other"}},
       "state finished original 3\nci {\"spec\":{\"database\":{\"replicas\":3}}}\n"
       "delete data-db-acbd18-mysql-0\ndelete data-db-acbd18-mysql-2\n"},
      {"no recorded replicas: at least one",
       Restore("restoring", 0),
       {.cluster_installation = &patched, .mysql_stateful_set = &stopped},
       "state finished original 0\nci {\"spec\":{\"database\":{\"replicas\":1}}}\n"},
      {"already scaled back up (the last status write failed)",
       Restore("restoring", 3),
       {.cluster_installation = &back},
       "state finished original 3\n"},
      {"the StatefulSet is missing",
       Restore("restoring", 3),
       {.cluster_installation = &patched},
       "state restoring original 3\nerror: StatefulSet \"db-acbd18-mysql\" not found\n"},
      {"no ClusterInstallation",
       Restore(),
       {},
       "state failed original 0\nerror: ClusterInstallation \"foo\" not found in namespace "
       "\"ns\"\n"},
      {"finished is terminal",
       Restore("finished", 3),
       {.cluster_installation = &running},
       "state finished original 3\n"},
      {"failed is terminal", Restore("failed", 0), {}, "state failed original 0\n"},
  };
  for (const Case& c : kCases)
    EXPECT_EQ(Describe(PlanRestore(c.restore, c.observed)), c.expected) << c.what;
}

TEST(RestoreTest, MysqlSecretGetsTheGivenCredentials) {
  rapidjson::Document running = Ci(R"({"replicas":3})");
  MattermostRestoreDb restore = Restore();
  restore.mattermost_db_user = "admin";
  RestorePlan plan = PlanRestore(restore, {.cluster_installation = &running});
  ASSERT_TRUE(plan.mysql_secret_patch);
  // An omitted password keeps the secret's own.
  EXPECT_EQ(ToJson(*plan.mysql_secret_patch),
            R"({"stringData":{"USER":"admin","DATABASE":"mattermost"}})");
  restore.mattermost_db_password = "s3cret";
  restore.mattermost_db_name = "mm";
  plan = PlanRestore(restore, {.cluster_installation = &running});
  EXPECT_EQ(ToJson(*plan.mysql_secret_patch),
            R"({"stringData":{"USER":"admin","DATABASE":"mm","PASSWORD":"s3cret"}})");
}

}  // namespace
}  // namespace mm
