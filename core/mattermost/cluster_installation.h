#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/result.h"

namespace mm {

inline constexpr char kClusterInstallationApiVersion[] = "mattermost.com/v1alpha1";

// Returns a copy of the ClusterInstallation (mattermost.com/v1alpha1) `resource` with the
// operator's defaults applied (§2.4 SetDefaults, then the shared size table with the v1alpha1
// rules of §2.2: replicas are int32 with 0 = unset; MinIO replicas/resources always defaulted;
// DB replicas defaulted only without database.initBucketURL; `size` erased). Unknown fields are
// kept. Fails with kInvalid and the operator's message: `IngressName required, but not set`, an
// invalid BlueGreen productionDeployment, missing BlueGreen/Canary images or versions.
Result<rapidjson::Document> DefaultClusterInstallation(const rapidjson::Value& resource);

// Returns the problems of a ClusterInstallation, each "path: problem": wrong JSON types of the
// fields the operator reads, a missing ingressName, an unknown size.
std::vector<std::string> ValidateClusterInstallation(const rapidjson::Value& resource);

// A MattermostRestoreDB (mattermost.com/v1alpha1, §1.4); every field optional.
struct MattermostRestoreDb {
  std::string name;
  std::string namespace_;
  std::string mattermost_cluster_name;  // a ClusterInstallation, not a Mattermost
  std::string restore_secret;
  std::string init_bucket_url;
  std::string mattermost_db_user;
  std::string mattermost_db_password;
  std::string mattermost_db_name;
  std::string state;  // status.state: "", restoring, finished, failed
  int32_t original_db_replicas = 0;
};

// Parses a MattermostRestoreDB; fails with kInvalid listing fields of the wrong JSON type.
Result<MattermostRestoreDb> ParseMattermostRestoreDb(const rapidjson::Value& resource);

}  // namespace mm
