#include "core/mattermost/cluster_installation.h"

#include <algorithm>
#include <cctype>

#include "core/json.h"
#include "core/json_builder.h"
#include "core/json_reader.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/sizes.h"
#include "core/quantity.h"

namespace mm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

std::string Get(const rapidjson::Value& object, const char* key) { return GetString(object, key); }

void Default(rapidjson::Value& object, const char* key, const std::string& value,
             Allocator& allocator) {
  if (Get(object, key).empty()) SetMember(object, key, JsonString(value, allocator), allocator);
}

int64_t Int(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = FindMember(object, key);
  return value != nullptr && value->IsInt64() ? value->GetInt64() : 0;
}

bool Enabled(const rapidjson::Value& spec, const char* key) {
  const rapidjson::Value* block = FindMember(spec, key);
  const rapidjson::Value* enable = block ? FindMember(*block, "enable") : nullptr;
  return enable != nullptr && enable->IsBool() && enable->GetBool();
}

// Sets `object`'s replicas and resources (SizeResources of `limits`, which may be null, and
// `requests`) where asked to.
void SetSized(rapidjson::Value& object, int replicas, bool set_replicas,
              const ResourceAmounts* limits, const ResourceAmounts& requests, bool set_resources,
              Allocator& allocator) {
  if (set_replicas) SetMember(object, "replicas", rapidjson::Value(replicas), allocator);
  if (set_resources) {
    SetMember(object, "resources", SizeResources(limits, requests, allocator), allocator);
  }
}

void ApplySize(rapidjson::Value& spec, Allocator& allocator) {
  const SizeRow* row = FindSize(Get(spec, "size"));
  bool override = row != nullptr;
  if (row == nullptr) row = FindSize(kDefaultSize);
  spec.RemoveMember("size");
  SetSized(spec, row->app_replicas, override || Int(spec, "replicas") == 0, &row->app_limits,
           row->app_requests, override || ResourceRequirementsEmpty(spec), allocator);
  // References into `spec` are taken only now: adding members to it may move its members.
  rapidjson::Value& minio = EnsureObject(spec, "minio", allocator);
  SetSized(minio, row->minio_replicas, override || Int(minio, "replicas") == 0, nullptr,
           row->minio_requests, override || ResourceRequirementsEmpty(minio), allocator);
  rapidjson::Value& database = EnsureObject(spec, "database", allocator);
  SetSized(database, row->db_replicas,
           override || (Int(database, "replicas") == 0 && Get(database, "initBucketURL").empty()),
           nullptr, row->db_requests, override || ResourceRequirementsEmpty(database), allocator);
}

Result<void> DefaultBlueGreen(rapidjson::Value& spec, const std::string& name,
                              Allocator& allocator) {
  if (!Enabled(spec, "blueGreen")) return {};
  rapidjson::Value& blue_green = spec["blueGreen"];
  std::string production = Get(blue_green, "productionDeployment");
  std::transform(production.begin(), production.end(), production.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  SetMember(blue_green, "productionDeployment", JsonString(production, allocator), allocator);
  if (production != "blue" && production != "green") {
    return Error::Invalid(production +
                          " is not a valid ProductionDeployment value, must be 'blue' or 'green'");
  }
  rapidjson::Value& blue = EnsureObject(blue_green, "blue", allocator);
  rapidjson::Value& green = EnsureObject(blue_green, "green", allocator);
  if (Get(green, "version").empty() || Get(blue, "version").empty()) {
    return Error::Invalid("Both Blue and Green deployment versions required, but not set");
  }
  if (Get(blue, "image").empty() || Get(green, "image").empty()) {
    return Error::Invalid("Both Blue and Green deployment images required, but not set");
  }
  Default(green, "name", name + "-green", allocator);
  Default(blue, "name", name + "-blue", allocator);
  Default(green, "ingressName", "green." + Get(spec, "ingressName"), allocator);
  Default(blue, "ingressName", "blue." + Get(spec, "ingressName"), allocator);
  return {};
}

Result<void> DefaultCanary(rapidjson::Value& spec, const std::string& name, Allocator& allocator) {
  if (!Enabled(spec, "canary")) return {};
  rapidjson::Value& deployment = EnsureObject(spec["canary"], "deployment", allocator);
  if (Get(deployment, "version").empty()) {
    return Error::Invalid("Canary version required, but not set");
  }
  if (Get(deployment, "image").empty()) {
    return Error::Invalid("Canary deployment image required, but not set");
  }
  Default(deployment, "name", name + "-canary", allocator);
  return {};
}

}  // namespace

Result<rapidjson::Document> DefaultClusterInstallation(const rapidjson::Value& resource) {
  rapidjson::Document document;
  document.CopyFrom(resource, document.GetAllocator());
  Allocator& allocator = document.GetAllocator();
  if (!document.IsObject()) return Error::Invalid("ClusterInstallation: expected a JSON object");
  std::string name = GetString(EnsureObject(document, "metadata", allocator), "name");
  rapidjson::Value& spec = EnsureObject(document, "spec", allocator);
  if (Get(spec, "ingressName").empty()) {
    return Error::Invalid("IngressName required, but not set");
  }
  Default(spec, "image", "mattermost/mattermost-enterprise-edition", allocator);
  Default(spec, "version", "10.8.1", allocator);
  Default(spec, "imagePullPolicy", "IfNotPresent", allocator);
  Default(EnsureObject(spec, "minio", allocator), "storageSize", "50Gi", allocator);
  rapidjson::Value& database = EnsureObject(spec, "database", allocator);
  Default(database, "type", "mysql", allocator);
  Default(database, "storageSize", "50Gi", allocator);
  if (Get(database, "type") == "mysql") Default(database, "version", "8.0", allocator);
  MM_RETURN_IF_ERROR(DefaultBlueGreen(spec, name, allocator));
  MM_RETURN_IF_ERROR(DefaultCanary(spec, name, allocator));
  ApplySize(spec, allocator);
  for (rapidjson::Value* holder : {&spec, &spec["minio"], &spec["database"]}) {
    auto resources = holder->FindMember("resources");
    if (resources != holder->MemberEnd() && resources->value.IsObject()) {
      MM_RETURN_IF_ERROR(CanonicalizeResources(resources->value, allocator));
    }
  }
  return document;
}

std::vector<std::string> ValidateClusterInstallation(const rapidjson::Value& resource) {
  std::vector<std::string> problems;
  JsonReader spec(FindMember(resource, "spec"), "spec", &problems);
  if (!spec.present()) problems.push_back("spec: required");
  if (spec.String("ingressName").empty()) spec.Problem("ingressName", "required");
  std::string size = spec.String("size");
  if (!size.empty() && FindSize(size) == nullptr) spec.Problem("size", UnknownSizeMessage(size));
  spec.Int32("replicas");
  for (const char* key : {"image", "version", "mattermostLicenseSecret", "imagePullPolicy"}) {
    spec.String(key);
  }
  JsonReader minio = spec.Object("minio");
  minio.Int32("replicas");
  JsonReader database = spec.Object("database");
  database.Int32("replicas");
  spec.Object("blueGreen").Bool("enable");
  spec.Object("canary").Bool("enable");
  spec.Bool("migrate");
  return problems;
}

Result<MattermostRestoreDb> ParseMattermostRestoreDb(const rapidjson::Value& resource) {
  std::vector<std::string> problems;
  JsonReader metadata(FindMember(resource, "metadata"), "metadata", &problems);
  JsonReader spec(FindMember(resource, "spec"), "spec", &problems);
  JsonReader status(FindMember(resource, "status"), "status", &problems);
  MattermostRestoreDb restore{
      .name = metadata.String("name"),
      .namespace_ = metadata.String("namespace"),
      .mattermost_cluster_name = spec.String("mattermostClusterName"),
      .restore_secret = spec.String("restoreSecret"),
      .init_bucket_url = spec.String("initBucketURL"),
      .mattermost_db_user = spec.String("mattermostDBUser"),
      .mattermost_db_password = spec.String("mattermostDBPassword"),
      .mattermost_db_name = spec.String("mattermostDBName"),
      .state = status.String("state"),
      .original_db_replicas = status.Int32("originalDBReplicas").value_or(0)};
  if (!problems.empty()) {
    return InvalidError("MattermostRestoreDB \"" + restore.name + "\"", problems);
  }
  return restore;
}

}  // namespace mm
