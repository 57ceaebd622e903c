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
