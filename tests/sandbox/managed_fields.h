#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/json_util.h"

namespace sandbox {

// A set of fields in structured-merge-diff's terms: each member is a path of FieldsV1 tokens
// ("f:spec", "k:{\"name\":\"c\"}", "v:\"x\"", "i:0"). Leaves and list elements are members.
using FieldSet = std::set<std::vector<std::string>>;

// Which part of an object a write owns: main-resource writes of types with a status
// subresource never own .status; status writes own only .status.
enum class FieldScope { kAll, kMain, kStatus };

// The fields set in `object` (apiVersion, kind and server-owned metadata excluded). List
// elements are identified per ListSchemaAt (by key, by value, or atomic).
FieldSet CollectFields(const Json& object, FieldScope scope, const Json* crd_schema);

// One metadata.managedFields entry.
struct ManagerEntry {
  std::string manager;
  std::string operation;  // Apply or Update
  std::string api_version;
  std::string time;
  std::string subresource;
  FieldSet fields;
};

std::vector<ManagerEntry> ParseManagedFields(const Json& object);
// Replaces metadata.managedFields of `object` with `entries` (dropping empty ones).
void WriteManagedFields(rapidjson::Document& object, const std::vector<ManagerEntry>& entries);

// Attributes an Update-operation write (create, update, patch) by `manager` from `before`
// (null on create) to `after`: changed fields move to the manager, removed fields leave
// everyone. Stores the result in after.metadata.managedFields.
void RecordUpdate(const Json* before, rapidjson::Document& after, const std::string& manager,
                  const std::string& api_version, const std::string& subresource, FieldScope scope,
                  const Json* crd_schema, const std::string& now);

// Server-side apply of `applied` by `manager` onto `live` (null: create). On success returns the
// merged object with managedFields updated; fails with 409 Conflict (causes per conflicting
// field) unless `force`, which takes the fields over.
mm::Result<rapidjson::Document> ServerSideApply(const Json* live, const Json& applied,
                                                const std::string& manager, bool force,
                                                const std::string& api_version, FieldScope scope,
                                                const Json* crd_schema, const std::string& now);

// `.spec.containers[name="c"].image`: the path text of conflict messages.
std::string PathString(const std::vector<std::string>& path);

}  // namespace sandbox
