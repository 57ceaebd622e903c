#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mm {

// What the engine found for an object the operator only reads: whether it exists and its keys
// (a Secret's data keys, a ServiceAccount's annotation keys).
struct ObjectFact {
  bool exists = false;
  std::set<std::string> keys;
};

// What the engine found for a PersistentVolumeClaim the operator reads.
struct ClaimFact {
  bool exists = false;
  std::string phase;                      // status.phase
  std::vector<std::string> access_modes;  // spec.accessModes
};

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
  // spec.ports[0].port of Service `<mm>-minio-hl-svc` (created by the MinIO operator), and
  // whether that Service exists yet.
  int minio_service_port = 9000;
  bool minio_service_exists = true;
  // The objects the operator checks (CheckReferencedObjects and the steps of BuildChildren);
  // std::nullopt = not looked up (offline render), not checked.
  std::optional<ObjectFact> license_secret;     // spec.licenseSecret
  std::optional<ObjectFact> file_store_secret;  // fileStore.external.secret
  std::optional<ObjectFact> service_account;    // `<mm>` with fileStore.external.useServiceAccount
  // Keys with a non-empty value of the operator-managed MySQL secret `<mm>-mysql-root-password`;
  // std::nullopt = not looked up, or not created yet (the plan creates it complete).
  std::optional<ObjectFact> mysql_secret;
  // fileStore.externalVolume.volumeClaimName (must exist, Bound or Pending).
  std::optional<ClaimFact> external_volume_claim;
  // The local file store's PVC `<mm>`: its access modes are kept when the spec names none.
  std::optional<ClaimFact> local_claim;
};

}  // namespace mm
