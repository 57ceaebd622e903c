#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/sandbox/json_util.h"

namespace sandbox {

// One subresource as discovery lists it (`pods/status`, `deployments/scale`).
struct Subresource {
  std::string name;
  std::string kind;
  std::string group;  // of the response kind; "" with version "" means the parent's
  std::string version;
  std::vector<std::string> verbs;
};

// An additionalPrinterColumn of a CRD (or of a built-in printer).
struct PrinterColumn {
  std::string name;
  std::string type;  // string, integer, number, boolean, date
  std::string json_path;
  std::string description;
  int priority = 0;
  std::string format;
};

// Everything the server knows about one served group/version/resource.
struct ResourceType {
  std::string group;
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> verbs;
  std::vector<Subresource> subresources;
  bool has_status = false;  // a status subresource: main writes ignore .status
  bool has_scale = false;   // a scale subresource
  bool generation = false;  // metadata.generation is maintained
  bool custom = false;      // served from a CRD (no strategic merge patch)
  bool storage = true;      // objects are stored (false: virtual create-only reviews)
  // Scale subresource paths (CRDs may choose; built-ins use spec.replicas / status.replicas).
  std::string spec_replicas_path = ".spec.replicas";
  std::string status_replicas_path = ".status.replicas";
  std::string label_selector_path = ".status.selector";
  std::vector<PrinterColumn> printer_columns;         // CRD additionalPrinterColumns
  std::shared_ptr<const rapidjson::Document> schema;  // CRD openAPIV3Schema, may be null

  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  // The storage identity shared by every version of a resource: "group/plural".
  std::string StorageId() const { return group + "/" + plural; }
  bool HasSubresource(std::string_view name) const;
  bool HasVerb(std::string_view verb) const;
};

// The served resources: the built-in table plus one entry per served version of every
// established CRD. Versions of a group are kept in preference order.
class Registry {
 public:
  Registry();

  // Returns the type serving group/version/plural, or nullptr.
  const ResourceType* Find(std::string_view group, std::string_view version,
                           std::string_view plural) const;
  // The preferred-version type of a storage id ("apps/deployments"), or nullptr.
  const ResourceType* FindStorage(std::string_view storage_id) const;
  // Every served type, in discovery order (core first, then groups in registration order).
  const std::vector<ResourceType>& Types() const { return types_; }
  // Group names in discovery order ("" is the core group) and their versions, preferred first.
  std::vector<std::pair<std::string, std::vector<std::string>>> Groups() const;

  // Replaces the types served for the CRD named `crd_name` (empty `types` removes them).
  void SetCustom(std::string_view crd_name, std::vector<ResourceType> types);
  // Bumped on every change so cached discovery/openapi documents know to rebuild.
  uint64_t generation() const { return generation_; }

 private:
  void Rebuild();

  std::vector<ResourceType> builtin_;
  std::map<std::string, std::vector<ResourceType>, std::less<>> custom_;  // by CRD name
  std::vector<ResourceType> types_;
  uint64_t generation_ = 1;
};

// The built-in resource table (the list plus a few neighbours kubectl expects).
std::vector<ResourceType> BuiltinResources();

}  // namespace sandbox
