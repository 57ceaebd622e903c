#include "core/mattermost/defaults.h"

#include "core/json.h"
#include "core/json_builder.h"
#include "core/json_copy.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/sizes.h"
#include "core/mattermost/volume_sources.h"
#include "core/quantity.h"

namespace mm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

void DefaultString(rapidjson::Value& object, const char* key, const char* value,
                   Allocator& allocator) {
  const rapidjson::Value* current = FindMember(object, key);
  if (current != nullptr && current->IsString() && current->GetStringLength() > 0) return;
  SetMember(object, key, JsonString(value, allocator), allocator);
}

// Sets replicas and resources of `object` from the size row: always when `overwrite`, else only
// where unset (nil replicas, empty resources). Returns whether it wrote the resources.
bool ApplyComponentSize(rapidjson::Value& object, const char* resources_key, int replicas,
                        const ResourceAmounts* limits, const ResourceAmounts& requests,
                        bool overwrite, Allocator& allocator) {
  const rapidjson::Value* current = FindMember(object, "replicas");
  if (overwrite || current == nullptr || current->IsNull()) {
    SetMember(object, "replicas", rapidjson::Value(replicas), allocator);
  }
  rapidjson::Value& holder =
      resources_key == nullptr ? object : EnsureObject(object, resources_key, allocator);
  if (!overwrite && !ResourceRequirementsEmpty(holder)) return false;
  SetMember(holder, "resources", SizeResources(limits, requests, allocator), allocator);
  return true;
}

// The resources ApplySize wrote from the size table, whose quantities are canonical already.
struct SizedResources {
  bool app = false;
  bool minio = false;
  bool db = false;
};

SizedResources ApplySize(const Mattermost& mattermost, rapidjson::Value& spec,
                         Allocator& allocator) {
  const SizeRow* row = FindSize(mattermost.spec.size);
  bool overwrite = row != nullptr;
  if (row == nullptr) row = FindSize(kDefaultSize);
  SizedResources sized;
  sized.app = ApplyComponentSize(spec, "scheduling", row->app_replicas, &row->app_limits,
                                 row->app_requests, overwrite, allocator);
  if (mattermost.spec.file_store.Mode() == FileStoreMode::kOperatorManaged) {
    rapidjson::Value& minio =
        EnsureObject(EnsureObject(spec, "fileStore", allocator), "operatorManaged", allocator);
    sized.minio = ApplyComponentSize(minio, nullptr, row->minio_replicas, nullptr,
                                     row->minio_requests, overwrite, allocator);
  }
  if (!mattermost.spec.database.IsExternal()) {
    rapidjson::Value& db =
        EnsureObject(EnsureObject(spec, "database", allocator), "operatorManaged", allocator);
    sized.db = ApplyComponentSize(db, nullptr, row->db_replicas, nullptr, row->db_requests,
                                  overwrite, allocator);
  }
  spec.RemoveMember("size");
  return sized;
}

// Rewrites the quantities of the resources at `path` under `spec` in canonical form, unless
// `sized` (they came from the size table, canonical already). Fails on a malformed quantity.
Result<void> CanonicalizeAt(rapidjson::Value& spec, std::initializer_list<const char*> path,
                            bool sized, Allocator& allocator) {
  if (sized) return {};
  rapidjson::Value* node = &spec;
  for (const char* key : path) {
    auto it = node->FindMember(key);
    if (it == node->MemberEnd() || !it->value.IsObject()) return {};
    node = &it->value;
  }
  return CanonicalizeResources(*node, allocator);
}

// The operator writes the spec back through Go structs, which always serialize ingressName (no
// omitempty) and the non-pointer struct members (omitempty never drops a struct). Adding them
// here makes our write-back identical to the operator's.
void AddSerializedEmptyMembers(rapidjson::Value& spec, Allocator& allocator) {
  if (FindMember(spec, "ingressName") == nullptr) {
    SetMember(spec, "ingressName", JsonString("", allocator), allocator);
  }
  EnsureObject(spec, "elasticSearch", allocator);
  rapidjson::Value& probes = EnsureObject(spec, "probes", allocator);
  EnsureObject(probes, "livenessProbe", allocator);
  EnsureObject(probes, "readinessProbe", allocator);
  EnsureObject(spec, "podExtensions", allocator);
  EnsureObject(spec, "database", allocator);
  EnsureObject(spec, "fileStore", allocator);
  EnsureObject(EnsureObject(spec, "scheduling", allocator), "resources", allocator);
}

}  // namespace

Result<rapidjson::Document> DefaultMattermost(const Mattermost& mattermost) {
  const MattermostSpec& spec = mattermost.spec;
  if (mattermost.AwsLoadBalancerEnabled() && spec.aws_load_balancer->hosts.empty()) {
    return Error::Invalid("awsLoadBalancerController.hosts is required, but not set");
  }
  if (!mattermost.AwsLoadBalancerEnabled() && mattermost.IngressEnabled() &&
      mattermost.IngressHost().empty()) {
    return Error::Invalid("ingress.host required, but not set");
  }
  if (auto problem = FirstUnsupportedVolumeSource(spec.volumes)) return Error::Invalid(*problem);

  rapidjson::Document document;
  CopyInto(document, *mattermost.document);
  Allocator& allocator = document.GetAllocator();
  rapidjson::Value& out = EnsureObject(document, "spec", allocator);
  AddSerializedEmptyMembers(out, allocator);
  DefaultString(out, "image", kDefaultMattermostImage, allocator);
  DefaultString(out, "version", kDefaultMattermostVersion, allocator);
  DefaultString(out, "imagePullPolicy", kDefaultPullPolicy, allocator);
  if (spec.file_store.Mode() == FileStoreMode::kOperatorManaged) {
    rapidjson::Value& minio =
        EnsureObject(EnsureObject(out, "fileStore", allocator), "operatorManaged", allocator);
    DefaultString(minio, "storageSize", kDefaultStorageSize, allocator);
  }
  if (!spec.database.IsExternal()) {
    rapidjson::Value& db =
        EnsureObject(EnsureObject(out, "database", allocator), "operatorManaged", allocator);
    DefaultString(db, "type", kDefaultDatabaseType, allocator);
    DefaultString(db, "storageSize", kDefaultStorageSize, allocator);
    DefaultString(db, "version", kDefaultDatabaseVersion, allocator);
  }
  SizedResources sized = ApplySize(mattermost, out, allocator);
  // Go re-serializes every Quantity it read; do the same so live and desired compare equal.
  MM_RETURN_IF_ERROR(CanonicalizeAt(out, {"scheduling", "resources"}, sized.app, allocator));
  MM_RETURN_IF_ERROR(
      CanonicalizeAt(out, {"fileStore", "operatorManaged", "resources"}, sized.minio, allocator));
  MM_RETURN_IF_ERROR(
      CanonicalizeAt(out, {"database", "operatorManaged", "resources"}, sized.db, allocator));
  return document;
}

Result<Mattermost> DefaultedMattermost(Mattermost mattermost) {
  auto document = DefaultMattermost(mattermost);
  if (!document) return std::move(document).error();
  return ParseDefaulted(std::move(mattermost), std::move(*document));
}

}  // namespace mm
