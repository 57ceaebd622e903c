#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/sandbox/json_util.h"

namespace sandbox {

// How a list field merges, for strategic merge patch and server-side apply alike.
struct ListSchema {
  enum class Type { kAtomic, kMap, kSet };
  Type type = Type::kAtomic;
  std::vector<std::string> keys;  // server-side apply list-map keys (listType=map)
  std::string merge_key;          // strategic merge patch patchMergeKey ("" for sets)
};

// A field path from the object root: member names, with "[]" standing for "an element of the
// list above". E.g. {"spec","template","spec","containers","[]","ports"}.
using FieldPath = std::vector<std::string>;

// The list semantics of the list at `path`. Built-in types use Kubernetes' compiled-in
// patchMergeKey/listType table; custom resources read x-kubernetes-list-type and
// x-kubernetes-list-map-keys from `crd_schema` (their openAPIV3Schema, may be null).
ListSchema ListSchemaAt(const FieldPath& path, const Json* crd_schema);

// The schema node at `path` inside an openAPIV3Schema (following properties, items and
// additionalProperties), or nullptr.
const Json* SchemaAt(const Json* schema, const FieldPath& path);

}  // namespace sandbox
