#pragma once

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace mm {

// What `install NAME` was told about the installation, flag by flag (empty = not given).
struct InstallFlags {
  std::string name;
  std::string namespace_name;
  std::string size;
  std::string version;
  std::string image;
  std::optional<int> replicas;
  std::string ingress_host;
  std::string ingress_class;
  std::string tls_secret;
  std::string database_secret;  // an existing secret, or the one made from --database-url-file
  std::string filestore_s3_url;
  std::string filestore_bucket;
  std::string filestore_secret;
  std::string filestore_local;                           // storage size
  std::string license_secret;                            // made from --license-file
  std::vector<std::pair<std::string, std::string>> env;  // --env K=V, in order
};

// Returns the Mattermost resource for `flags`: `base` (the document of -f, already parsed; null
// when none) with every given flag set over it, or a new resource built from the flags alone.
// metadata.name/namespace come from the flags; fields that only a server sets (uid,
// resourceVersion, managedFields, status...) are dropped. Fails with kUsage when -f names another
// Mattermost than NAME.
Result<rapidjson::Document> BuildMattermostResource(const InstallFlags& flags,
                                                    const rapidjson::Value* base);

// Returns what a re-run of `install NAME` starts from when Mattermost NAME exists (`live`), so
// that a re-run changes only what its flags or its file ask for. Without a file (`file` null):
// the live spec, labels and annotations (the flags are then set over them). With a file: the
// file, plus the live spec.version and spec.image where the file sets none (`upgrade` changes
// those two; carrying them keeps a re-run from undoing an upgrade). Server fields are dropped
// later by BuildMattermostResource.
rapidjson::Document ReinstallBase(const rapidjson::Value* file, const rapidjson::Value& live);

// Returns why install must not apply `resource` over the existing `live` Mattermost: it would
// change spec.version or spec.image, which is upgrade's job (it refuses a downgrade or downtime
// unless told, runs the migration first and can roll back). The message names the upgrade
// command to run instead; "" when neither changes (or `live` has no version yet).
std::string VersionChangeProblem(const rapidjson::Value& resource, const rapidjson::Value& live);

// Sets spec.replicas of the defaulted `resource` to `replicas` when given. The operator lets a
// size preset overwrite spec.replicas (and then erases spec.size), so an explicit --replicas is
// written after the size was applied: the operator then finds no size and keeps it, and both
// modes run the number of replicas the user asked for.
void OverrideReplicas(rapidjson::Document& resource, std::optional<int> replicas);

// Returns the warning for a manifest (`base`, -f) that sets both spec.size and spec.replicas:
// the size's replicas win there, as in the operator ("" when there is nothing to say).
std::string SizeOverridesReplicasWarning(const rapidjson::Value& base);

// Returns the one Mattermost among `documents` (parsed from `what`). Fails with kInvalid when
// there is none or more than one.
Result<rapidjson::Document> FindMattermostDocument(std::vector<rapidjson::Document> documents,
                                                   const std::string& what);

// Returns "" when `version` is a valid image tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`) or a
// digest (`sha256:` and 64 lower-case hex digits), else the problem.
std::string CheckImageVersion(const std::string& version);

// Parses `--env K=V` values; fails with kUsage for an entry without `=` or with an empty name.
Result<std::vector<std::pair<std::string, std::string>>> ParseEnvFlags(
    const std::vector<std::string>& values);

}  // namespace mm
