#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/mattermost/cluster_installation.h"

namespace mm {

// What the engine read from the cluster for one MattermostRestoreDB (operator.md §8). Pointers
// are owned by the caller; null = not found.
struct RestoreObservation {
  const rapidjson::Value* cluster_installation = nullptr;  // spec.mattermostClusterName
  const rapidjson::Value* mysql_stateful_set = nullptr;    // RestoreMysqlStatefulSetName
  int mysql_pods = 0;  // pods matching RestoreMysqlPodLabels in the namespace
  std::vector<std::string> existing_volume_claims;  // names of PVCs in the namespace
};

// The decision of one restore reconcile, as data. The engine writes the status first when
// `status_first` is set, otherwise last; in between it applies the patches, then the deletions.
struct RestorePlan {
  // Writes to the ClusterInstallation's spec.database (a JSON merge patch), then to Secret
  // `<ci>-mysql-root-password` (a merge patch of stringData).
  std::optional<rapidjson::Document> cluster_installation_patch;
  std::optional<rapidjson::Document> mysql_secret_patch;
  std::vector<std::string> delete_volume_claims;  // grace period 0
  // The status to write when it changed: state and originalDBReplicas.
  std::string state;
  int32_t original_db_replicas = 0;
  bool status_first = false;
  std::optional<int> requeue_after_seconds;  // come back after this long (no error)
  std::string waiting_for;
  std::string error;  // non-empty: this reconcile failed (retry with back-off)
};

// `db-<md5(ci)[0:6]>-mysql`: the StatefulSet mysql-operator runs for the ClusterInstallation.
std::string RestoreMysqlStatefulSetName(const std::string& cluster_installation);

// The labels of the MySQL pods the operator waits for (§8 step 7): every mysql-operator pod of
// the namespace, not only this cluster's (copied: it is what the operator waits for).
std::vector<std::pair<std::string, std::string>> RestoreMysqlPodLabels();

// Returns the problems of a restore before anything is touched, each "spec.<field>: problem":
// mattermostClusterName, restoreSecret and initBucketURL are required (without the last two
// the MySQL cluster is recreated empty instead of restored: §3.9 seeds it only when both are
// set), initBucketURL must be a URL (`scheme://...`).
std::vector<std::string> ValidateMattermostRestoreDb(const MattermostRestoreDb& restore);

// Decides one reconcile of the MattermostRestoreDB controller (§8), with its QUIRKS fixed on
// purpose (core/QUIRKS.md): the original DB replicas are recorded in status before anything is
// scaled (never lost to an in-memory variable), `finished` and `failed` are terminal (no restart
// of a finished restore), waiting is a plain requeue after 3 s rather than an error. Steps:
// a missing ClusterInstallation fails the restore; first the status records `restoring` and the
// original replicas (written before anything else), the ClusterInstallation gets replicas 0,
// initBucketURL and backupRestoreSecretName (again on later passes until it has them), and the
// MySQL secret the given user/database/password; then wait until the MySQL StatefulSet has no
// ready replicas and no MySQL pod is left; then delete the volume claims
// `data-<statefulset>-<i>` of the original replicas, restore the replicas (at least 1) and
// finish. A restoring pass that finds the replicas already back (its status write failed)
// finishes. mysql-operator then seeds the new volumes from the bucket.
RestorePlan PlanRestore(const MattermostRestoreDb& restore, const RestoreObservation& observed);

}  // namespace mm
