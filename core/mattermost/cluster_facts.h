#pragma once

#include <map>
#include <string>

namespace mm {

// The few things the operator reads from the cluster while building a Mattermost's children.
// The engine fills them from live objects; `kubectl mattermost render` takes them from flags or
// these defaults.
struct ClusterFacts {
  // Data of the external DB secret (database.external.secret), key -> value. Only key presence
  // matters, except DB_CONNECTION_STRING whose prefix (mysql/postgres) picks the check image.
  std::map<std::string, std::string> external_db_secret = {{"DB_CONNECTION_STRING", "postgres://"}};
  // DATABASE key of the operator-managed MySQL secret `<mm>-mysql-root-password`: the operator
  // creates it with `mattermost`.
  std::string mysql_database = "mattermost";
  // spec.ports[0].port of Service `<mm>-minio-hl-svc` (created by the MinIO operator).
  int minio_service_port = 9000;
};

}  // namespace mm
