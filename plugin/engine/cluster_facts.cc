#include "plugin/engine/cluster_facts.h"

#include "core/json.h"
#include "core/mattermost/render.h"

namespace mm::engine {
namespace {

// What `object` (null: missing) holds: a Secret's data keys, or else its annotation keys.
ObjectFact FactOf(const rapidjson::Value* object, bool secret) {
  ObjectFact fact;
  if (object == nullptr) return fact;
  fact.exists = true;
  if (secret) {
    for (const auto& [key, value] : SecretKeys(*object)) fact.keys.insert(key);
    return fact;
  }
  const rapidjson::Value* metadata = FindMember(*object, "metadata");
  const rapidjson::Value* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  if (annotations != nullptr && annotations->IsObject()) {
    for (const auto& member : annotations->GetObject()) fact.keys.insert(member.name.GetString());
  }
  return fact;
}

ClaimFact ClaimOf(const rapidjson::Value* claim) {
  ClaimFact fact;
  if (claim == nullptr) return fact;
  fact.exists = true;
  if (const rapidjson::Value* status = FindMember(*claim, "status")) {
    fact.phase = GetString(*status, "phase");
  }
  const rapidjson::Value* spec = FindMember(*claim, "spec");
  const rapidjson::Value* modes = spec ? FindMember(*spec, "accessModes") : nullptr;
  if (modes != nullptr && modes->IsArray()) {
    for (const rapidjson::Value& mode : modes->GetArray()) {
      if (mode.IsString()) fact.access_modes.emplace_back(mode.GetString());
    }
  }
  return fact;
}

class FactReader {
 public:
  FactReader(kubeapi::Client& client, ClusterReader& reader, const Mattermost& mattermost)
      : client_(client), reader_(reader), mattermost_(mattermost) {}

  Result<ClusterFacts> Read() {
    MM_RETURN_IF_ERROR(Database());
    MM_RETURN_IF_ERROR(FileStore());
    if (!mattermost_.spec.license_secret.empty()) {
      auto license = Get("v1", "Secret", mattermost_.spec.license_secret);
      if (!license) return std::move(license).error();
      facts_.license_secret = FactOf(license->get(), true);
    }
    return std::move(facts_);
  }

 private:
  Result<SharedObject> Get(const char* api_version, const char* kind, const std::string& name) {
    return GetIfExists(client_, reader_, api_version, kind, mattermost_.namespace_, name);
  }

  Result<void> Database() {
    const DatabaseSpec& database = mattermost_.spec.database;
    std::string name = database.IsExternal() ? *database.external_secret
                                             : mattermost_.name + "-mysql-root-password";
    auto secret = Get("v1", "Secret", name);
    if (!secret) return std::move(secret).error();
    if (database.IsExternal()) {
      if (*secret == nullptr) {
        return Error::Invalid("failed to get external db Secret: secrets \"" + name +
                              "\" not found");
      }
      facts_.external_db_secret = SecretKeys(**secret);
      return {};
    }
    if (*secret == nullptr) return {};  // the plan creates it, with DATABASE mattermost
    ObjectFact fact{.exists = true};
    std::map<std::string, std::string> keys = SecretKeys(**secret);
    for (const auto& [key, value] : keys) {
      if (!value.empty()) fact.keys.insert(key);
    }
    facts_.mysql_database = keys["DATABASE"];
    facts_.mysql_secret = std::move(fact);
    return {};
  }

  Result<void> FileStore() {
    const FileStoreSpec& store = mattermost_.spec.file_store;
    switch (store.Mode()) {
      case FileStoreMode::kExternal:
        if (store.external->use_service_account) {
          auto account = Get("v1", "ServiceAccount", mattermost_.name);
          if (!account) return std::move(account).error();
          facts_.service_account = FactOf(account->get(), false);
        } else {
          auto secret = Get("v1", "Secret", store.external->secret);
          if (!secret) return std::move(secret).error();
          facts_.file_store_secret = FactOf(secret->get(), true);
        }
        return {};
      case FileStoreMode::kExternalVolume:
      case FileStoreMode::kLocal: {
        bool local = store.Mode() == FileStoreMode::kLocal;
        auto claim = Get("v1", "PersistentVolumeClaim",
                         local ? mattermost_.name : *store.external_volume_claim);
        if (!claim) return std::move(claim).error();
        (local ? facts_.local_claim : facts_.external_volume_claim) = ClaimOf(claim->get());
        return {};
      }
      case FileStoreMode::kOperatorManaged:
        return MinioService();
    }
    return {};
  }

  Result<void> MinioService() {
    auto live = Get("v1", "Service", mattermost_.name + "-minio-hl-svc");
    if (!live) return std::move(live).error();
    const rapidjson::Value* spec = *live == nullptr ? nullptr : FindMember(**live, "spec");
    const rapidjson::Value* ports = spec ? FindMember(*spec, "ports") : nullptr;
    if (ports == nullptr || !ports->IsArray() || ports->Empty() || !(*ports)[0].IsObject() ||
        !(*ports)[0].HasMember("port") || !(*ports)[0]["port"].IsInt()) {
      facts_.minio_service_exists = false;
      return {};
    }
    facts_.minio_service_port = (*ports)[0]["port"].GetInt();
    return {};
  }

  kubeapi::Client& client_;
  ClusterReader& reader_;
  const Mattermost& mattermost_;
  ClusterFacts facts_;
};

}  // namespace

Result<ClusterFacts> ReadClusterFacts(kubeapi::Client& client, ClusterReader& reader,
                                      const Mattermost& mattermost) {
  return FactReader(client, reader, mattermost).Read();
}

}  // namespace mm::engine
