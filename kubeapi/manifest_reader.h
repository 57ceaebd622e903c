#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mm::kubeapi {

// Reads a multi-document YAML or JSON stream of Kubernetes objects (kubectl apply -f): empty
// documents are skipped, `kind: List` (and *List) documents are flattened into their items, and
// every value keeps its exact type (replicas: 0, "8065" vs 8065) and unknown fields. `source`
// names the input in errors, which use kubectl's texts: `error parsing <source>: error converting
// YAML to JSON: yaml: line N, column C: ...` and `unable to decode "<source>": Object 'Kind' is
// missing in '<json>'` (kInvalid).
Result<std::vector<rapidjson::Document>> ReadManifests(std::string_view text,
                                                       std::string_view source);

// Reads the file at `path` (kConfig error when unreadable) and parses it with ReadManifests.
Result<std::vector<rapidjson::Document>> ReadManifestFile(const std::string& path);

}  // namespace mm::kubeapi
