#include "core/mattermost/restore.h"

#include <algorithm>

#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/database.h"

namespace mm {
namespace {

constexpr int kRestoreRequeueSeconds = 3;

int64_t Int(const rapidjson::Value* object, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    object = object ? FindMember(*object, key) : nullptr;
  }
  return object != nullptr && object->IsInt64() ? object->GetInt64() : 0;
}

rapidjson::Document DatabasePatch(Json database) {
  return Json::Object({{"spec", Json::Object({{"database", std::move(database)}})}})
      .BuildDocument();
}

// The MySQL secret's new user, database and (when given) password; none when nothing is given.
std::optional<rapidjson::Document> SecretPatch(const MattermostRestoreDb& restore) {
  if (restore.mattermost_db_user.empty() && restore.mattermost_db_name.empty() &&
      restore.mattermost_db_password.empty()) {
    return std::nullopt;
  }
  // An omitted PASSWORD keeps the current one (the operator copies it over itself).
  return Json::Object(
             {{"stringData",
               Json::Object(
                   {{"USER", restore.mattermost_db_user.empty() ? std::string("mmuser")
                                                                : restore.mattermost_db_user},
                    {"DATABASE", restore.mattermost_db_name.empty() ? std::string("mattermost")
                                                                    : restore.mattermost_db_name},
                    {"PASSWORD", Json::If(!restore.mattermost_db_password.empty(),
                                          restore.mattermost_db_password)}})}})
      .BuildDocument();
}

std::string GetDatabaseField(const rapidjson::Value& ci, std::string_view field) {
  const rapidjson::Value* spec = FindMember(ci, "spec");
  const rapidjson::Value* database = spec ? FindMember(*spec, "database") : nullptr;
  return database ? GetString(*database, field) : "";
}

RestorePlan Wait(RestorePlan plan, std::string what) {
  plan.requeue_after_seconds = kRestoreRequeueSeconds;
  plan.waiting_for = std::move(what);
  return plan;
}

}  // namespace

std::string RestoreMysqlStatefulSetName(const std::string& cluster_installation) {
  return MysqlClusterName(cluster_installation) + "-mysql";
}

std::vector<std::pair<std::string, std::string>> RestoreMysqlPodLabels() {
  return {{"app.kubernetes.io/component", "database"},
          {"app.kubernetes.io/instance", "db"},
          {"app.kubernetes.io/managed-by", "mysql.presslabs.org"},
          {"app.kubernetes.io/name", "mysql"}};
}

std::vector<std::string> ValidateMattermostRestoreDb(const MattermostRestoreDb& restore) {
  std::vector<std::string> problems;
  auto required = [&](const std::string& value, const char* field) {
    if (value.empty()) problems.push_back(std::string("spec.") + field + ": required");
  };
  required(restore.mattermost_cluster_name, "mattermostClusterName");
  required(restore.restore_secret, "restoreSecret");
  required(restore.init_bucket_url, "initBucketURL");
  size_t scheme = restore.init_bucket_url.find("://");
  if (!restore.init_bucket_url.empty() && (scheme == std::string::npos || scheme == 0 ||
                                           scheme + 3 == restore.init_bucket_url.size())) {
    problems.push_back("spec.initBucketURL: \"" + restore.init_bucket_url +
                       "\" is not a URL (e.g. s3://bucket/backup.xbackup.gz)");
  }
  return problems;
}

RestorePlan PlanRestore(const MattermostRestoreDb& restore, const RestoreObservation& observed) {
  RestorePlan plan;
  plan.state = restore.state;
  plan.original_db_replicas = restore.original_db_replicas;
  if (restore.state == "finished" || restore.state == "failed") return plan;  // terminal
  const std::string& ci = restore.mattermost_cluster_name;
  const rapidjson::Value* installation = observed.cluster_installation;
  if (installation == nullptr) {
    plan.state = "failed";
    plan.error =
        "ClusterInstallation \"" + ci + "\" not found in namespace \"" + restore.namespace_ + "\"";
    return plan;
  }
  int64_t replicas = Int(installation, {"spec", "database", "replicas"});
  plan.mysql_secret_patch = SecretPatch(restore);
  bool scaled_down_before =
      GetDatabaseField(*installation, "initBucketURL") == restore.init_bucket_url &&
      GetDatabaseField(*installation, "backupRestoreSecretName") == restore.restore_secret;
  if (restore.state.empty() || !scaled_down_before) {
    if (restore.state.empty()) {
      plan.state = "restoring";
      plan.original_db_replicas = static_cast<int32_t>(replicas);
      plan.status_first = true;  // the original replicas are safe before anything is scaled
    }
    plan.cluster_installation_patch =
        DatabasePatch(Json::Object({{"replicas", 0},
                                    {"initBucketURL", restore.init_bucket_url},
                                    {"backupRestoreSecretName", restore.restore_secret}}));
    return Wait(std::move(plan), "the MySQL cluster to scale to 0");
  }
  if (replicas != 0) {
    plan.state = "finished";  // scaled back up by a pass whose status write failed
    return plan;
  }
  std::string stateful_set = RestoreMysqlStatefulSetName(ci);
  if (observed.mysql_stateful_set == nullptr) {
    plan.error = "StatefulSet \"" + stateful_set + "\" not found";
    return plan;
  }
  if (Int(observed.mysql_stateful_set, {"status", "readyReplicas"}) != 0) {
    return Wait(std::move(plan), "StatefulSet " + stateful_set + " to scale to 0");
  }
  if (observed.mysql_pods > 0) return Wait(std::move(plan), "the MySQL pods to terminate");
  for (int32_t i = 0; i < plan.original_db_replicas; ++i) {
    std::string claim = "data-" + stateful_set + "-" + std::to_string(i);
    const auto& existing = observed.existing_volume_claims;
    if (std::find(existing.begin(), existing.end(), claim) != existing.end()) {
      plan.delete_volume_claims.push_back(claim);
    }
  }
  plan.cluster_installation_patch =
      DatabasePatch(Json::Object({{"replicas", std::max<int32_t>(plan.original_db_replicas, 1)}}));
  plan.state = "finished";
  return plan;
}

}  // namespace mm
