#include "plugin/install/mattermost_resource.h"

#include <regex>

#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/sizes.h"
#include "core/mattermost/upgrade.h"

namespace mm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

void SetString(rapidjson::Value& object, std::string_view key, const std::string& value,
               Allocator& allocator) {
  SetMember(object, key, JsonString(value, allocator), allocator);
}

// Removes the metadata a server sets, so applying a file exported from a cluster works.
void DropServerFields(rapidjson::Document& resource) {
  resource.RemoveMember("status");
  rapidjson::Value& metadata = EnsureObject(resource, "metadata", resource.GetAllocator());
  for (const char* key : {"uid", "resourceVersion", "generation", "creationTimestamp",
                          "managedFields", "selfLink", "deletionTimestamp"}) {
    metadata.RemoveMember(key);
  }
}

void SetIngress(rapidjson::Value& spec, const InstallFlags& flags, Allocator& allocator) {
  if (flags.ingress_host.empty() && flags.ingress_class.empty() && flags.tls_secret.empty()) {
    return;
  }
  rapidjson::Value& ingress = EnsureObject(spec, "ingress", allocator);
  SetMember(ingress, "enabled", rapidjson::Value(true), allocator);
  if (!flags.ingress_host.empty()) SetString(ingress, "host", flags.ingress_host, allocator);
  if (!flags.ingress_class.empty()) {
    SetString(ingress, "ingressClass", flags.ingress_class, allocator);
  }
  if (!flags.tls_secret.empty()) SetString(ingress, "tlsSecret", flags.tls_secret, allocator);
}

void SetStores(rapidjson::Value& spec, const InstallFlags& flags, Allocator& allocator) {
  if (!flags.database_secret.empty()) {
    rapidjson::Value& database = EnsureObject(spec, "database", allocator);
    database.RemoveMember("operatorManaged");
    rapidjson::Value& external = EnsureObject(database, "external", allocator);
    SetString(external, "secret", flags.database_secret, allocator);
  }
  if (!flags.filestore_s3_url.empty()) {
    rapidjson::Value& store = EnsureObject(spec, "fileStore", allocator);
    store.RemoveAllMembers();
    rapidjson::Value& external = EnsureObject(store, "external", allocator);
    SetString(external, "url", flags.filestore_s3_url, allocator);
    SetString(external, "bucket", flags.filestore_bucket, allocator);
    if (!flags.filestore_secret.empty()) {
      SetString(external, "secret", flags.filestore_secret, allocator);
    }
  } else if (!flags.filestore_local.empty()) {
    rapidjson::Value& store = EnsureObject(spec, "fileStore", allocator);
    store.RemoveAllMembers();
    rapidjson::Value& local = EnsureObject(store, "local", allocator);
    SetMember(local, "enabled", rapidjson::Value(true), allocator);
    SetString(local, "storageSize", flags.filestore_local, allocator);
  }
}

void SetEnv(rapidjson::Value& spec, const InstallFlags& flags, Allocator& allocator) {
  if (flags.env.empty()) return;
  if (!spec.HasMember("mattermostEnv") || !spec["mattermostEnv"].IsArray()) {
    SetMember(spec, "mattermostEnv", rapidjson::Value(rapidjson::kArrayType), allocator);
  }
  rapidjson::Value& env = spec["mattermostEnv"];
  for (const auto& [name, value] : flags.env) {
    rapidjson::Value* entry = nullptr;
    for (rapidjson::Value& existing : env.GetArray()) {
      if (GetString(existing, "name") == name) entry = &existing;
    }
    rapidjson::Value replacement(rapidjson::kObjectType);
    SetString(replacement, "name", name, allocator);
    SetString(replacement, "value", value, allocator);
    if (entry != nullptr) {
      *entry = std::move(replacement);
    } else {
      env.PushBack(std::move(replacement), allocator);
    }
  }
}

}  // namespace

Result<rapidjson::Document> BuildMattermostResource(const InstallFlags& flags,
                                                    const rapidjson::Value* base) {
  rapidjson::Document resource(rapidjson::kObjectType);
  if (base != nullptr) resource.CopyFrom(*base, resource.GetAllocator());
  Allocator& allocator = resource.GetAllocator();
  SetString(resource, "apiVersion", kMattermostApiVersion, allocator);
  SetString(resource, "kind", kMattermostKind, allocator);
  DropServerFields(resource);
  rapidjson::Value& metadata = resource["metadata"];
  std::string file_name = GetString(metadata, "name");
  if (!file_name.empty() && file_name != flags.name) {
    return Error::Usage("the file describes Mattermost \"" + file_name + "\", not \"" + flags.name +
                        "\"");
  }
  SetString(metadata, "name", flags.name, allocator);
  SetString(metadata, "namespace", flags.namespace_name, allocator);
  rapidjson::Value& spec = EnsureObject(resource, "spec", allocator);
  if (!flags.size.empty()) SetString(spec, "size", flags.size, allocator);
  if (!flags.image.empty()) SetString(spec, "image", flags.image, allocator);
  if (!flags.version.empty()) SetString(spec, "version", flags.version, allocator);
  if (flags.replicas) SetMember(spec, "replicas", rapidjson::Value(*flags.replicas), allocator);
  if (!flags.license_secret.empty()) {
    SetString(spec, "licenseSecret", flags.license_secret, allocator);
  }
  SetIngress(spec, flags, allocator);
  SetStores(spec, flags, allocator);
  SetEnv(spec, flags, allocator);
  return resource;
}

rapidjson::Document ReinstallBase(const rapidjson::Value* file, const rapidjson::Value& live) {
  rapidjson::Document base(rapidjson::kObjectType);
  Allocator& allocator = base.GetAllocator();
  const rapidjson::Value* live_spec = FindMember(live, "spec");
  if (file != nullptr) {
    base.CopyFrom(*file, allocator);
    if (live_spec == nullptr) return base;
    rapidjson::Value& spec = EnsureObject(base, "spec", allocator);
    for (const char* key : {"version", "image"}) {
      std::string value = GetString(*live_spec, key);
      if (GetString(spec, key).empty() && !value.empty()) SetString(spec, key, value, allocator);
    }
    return base;
  }
  rapidjson::Value& metadata = EnsureObject(base, "metadata", allocator);
  for (const char* key : {"labels", "annotations"}) {
    const rapidjson::Value* value = FindPath(live, {"metadata", key});
    if (value == nullptr || !value->IsObject()) continue;
    rapidjson::Value copy(*value, allocator);
    // kubectl's client-side record of another tool's apply is not part of the installation.
    copy.RemoveMember("kubectl.kubernetes.io/last-applied-configuration");
    SetMember(metadata, key, std::move(copy), allocator);
  }
  if (live_spec != nullptr && live_spec->IsObject()) {
    SetMember(base, "spec", rapidjson::Value(*live_spec, allocator), allocator);
  }
  return base;
}

std::string VersionChangeProblem(const rapidjson::Value& resource, const rapidjson::Value& live) {
  const rapidjson::Value* live_spec = FindMember(live, "spec");
  const rapidjson::Value* spec = FindMember(resource, "spec");
  if (live_spec == nullptr || spec == nullptr || GetString(*live_spec, "version").empty()) {
    return "";
  }
  std::string version = GetString(*spec, "version");
  std::string image = GetString(*spec, "image");
  bool new_image = image != GetString(*live_spec, "image");
  if (version == GetString(*live_spec, "version") && !new_image) return "";
  const rapidjson::Value& metadata = resource["metadata"];
  std::string name = GetString(metadata, "name");
  std::string namespace_name = GetString(metadata, "namespace");
  return "Mattermost " + namespace_name + "/" + name + " runs " +
         ImageReference(GetString(*live_spec, "image"), GetString(*live_spec, "version")) +
         "; install does not change the version or image of an existing installation: run "
         "'kubectl mattermost upgrade " +
         name + " -n " + namespace_name + " --version " + version +
         (new_image ? " --image " + image : "") +
         "' (it checks for a downgrade and for downtime first, and can roll back)";
}

void OverrideReplicas(rapidjson::Document& resource, std::optional<int> replicas) {
  if (!replicas) return;
  rapidjson::Value& spec = EnsureObject(resource, "spec", resource.GetAllocator());
  SetMember(spec, "replicas", rapidjson::Value(*replicas), resource.GetAllocator());
}

std::string SizeOverridesReplicasWarning(const rapidjson::Value& base) {
  const rapidjson::Value* spec = FindMember(base, "spec");
  const rapidjson::Value* replicas = spec ? FindMember(*spec, "replicas") : nullptr;
  const SizeRow* row = spec ? FindSize(GetString(*spec, "size")) : nullptr;
  if (row == nullptr || replicas == nullptr || !replicas->IsInt() ||
      replicas->GetInt() == row->app_replicas) {
    return "";
  }
  return "spec.size " + GetString(*spec, "size") + " sets " + std::to_string(row->app_replicas) +
         " replica(s) and overrides spec.replicas " + std::to_string(replicas->GetInt()) +
         " (as the operator does); pass --replicas to choose the number";
}

Result<rapidjson::Document> FindMattermostDocument(std::vector<rapidjson::Document> documents,
                                                   const std::string& what) {
  std::vector<rapidjson::Document*> found;
  for (rapidjson::Document& document : documents) {
    if (GetString(document, "kind") == kMattermostKind &&
        GetString(document, "apiVersion") == kMattermostApiVersion) {
      found.push_back(&document);
    }
  }
  if (found.size() != 1) {
    return Error::Invalid(what + ": expected exactly one " + kMattermostApiVersion +
                          " Mattermost, found " + std::to_string(found.size()));
  }
  return std::move(*found[0]);
}

std::string CheckImageVersion(const std::string& version) {
  static const std::regex kTag("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
  static const std::regex kDigest("^sha256:[a-f0-9]{64}$");
  if (std::regex_match(version, kTag) || std::regex_match(version, kDigest)) return "";
  return "invalid version \"" + version +
         "\": must be an image tag (letters, digits, '_', '.', '-'; at most 128 characters, not "
         "starting with '.' or '-') or sha256:<64 hex digits>";
}

Result<std::vector<std::pair<std::string, std::string>>> ParseEnvFlags(
    const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> env;
  for (const std::string& value : values) {
    size_t equals = value.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Error::Usage("--env \"" + value + "\": expected NAME=VALUE");
    }
    env.emplace_back(value.substr(0, equals), value.substr(equals + 1));
  }
  return env;
}

}  // namespace mm
