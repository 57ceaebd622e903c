#include "core/mattermost/operator_resources.h"

#include "core/base64.h"
#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/database.h"
#include "core/mattermost/labels.h"
#include "core/quantity.h"

namespace mm {
namespace {

std::string Canonical(const std::string& size) {
  auto canonical = CanonicalQuantity(size);
  return canonical.ok() ? *canonical : size;
}

Json ClaimSpec(const std::string& storage) {
  return Json::Object(
      {{"accessModes", Json::Array({"ReadWriteOnce"})},
       {"resources",
        Json::Object({{"requests", Json::Object({{"storage", Canonical(storage)}})}})}});
}

Json NonEmpty(const std::string& value) { return Json::If(!value.empty(), value); }

}  // namespace

Result<std::optional<rapidjson::Document>> BuildMysqlCluster(const Mattermost& mattermost) {
  const DatabaseSpec& db = mattermost.spec.database;
  if (db.IsExternal() || !db.operator_managed) return std::optional<rapidjson::Document>();
  const OperatorManagedDatabase& managed = *db.operator_managed;
  if (managed.type == "postgres") {
    return Error::Invalid("database type 'postgres' not yet implemented");
  }
  if (managed.type != "mysql") {
    return Error::Invalid("database of type '" + managed.type + "' is not supported");
  }
  // QUIRK copied: backupSecretName comes from backupRestoreSecretName (§3.9).
  bool init_from_bucket =
      !managed.init_bucket_url.empty() && !managed.backup_restore_secret_name.empty();
  return std::optional<rapidjson::Document>(
      Json::Object(
          {{"apiVersion", "mysql.presslabs.org/v1alpha1"},
           {"kind", "MysqlCluster"},
           {"metadata", ChildMetadata(mattermost, MysqlClusterName(mattermost.name),
                                      ResourceLabels(mattermost))},
           {"spec",
            Json::Object(
                {{"replicas", Json::If(managed.replicas.has_value(), managed.replicas.value_or(0))},
                 {"secretName", MysqlSecretName(mattermost)},
                 {"mysqlVersion", NonEmpty(managed.version)},
                 {"initBucketURL", Json::If(init_from_bucket, managed.init_bucket_url)},
                 {"initBucketSecretName",
                  Json::If(init_from_bucket, managed.backup_restore_secret_name)},
                 {"backupSchedule", NonEmpty(managed.backup_schedule)},
                 {"backupURL", NonEmpty(managed.backup_url)},
                 {"backupSecretName", NonEmpty(managed.backup_restore_secret_name)},
                 {"backupRemoteDeletePolicy", NonEmpty(managed.backup_remote_delete_policy)},
                 {"volumeSpec",
                  Json::Object({{"persistentVolumeClaim", ClaimSpec(managed.storage_size)}})}})}})
          .BuildDocument());
}

std::optional<rapidjson::Document> BuildMinioInstance(const Mattermost& mattermost) {
  const FileStoreSpec& store = mattermost.spec.file_store;
  if (store.Mode() != FileStoreMode::kOperatorManaged || !store.operator_managed) {
    return std::nullopt;
  }
  std::string name = mattermost.name + "-minio";
  const OperatorManagedFileStore& managed = *store.operator_managed;
  return Json::Object(
             {{"apiVersion", "miniocontroller.min.io/v1beta1"},
              {"kind", "MinIOInstance"},
              {"metadata", ChildMetadata(mattermost, name, ResourceLabels(mattermost))},
              {"spec",
               Json::Object({{"replicas",
                              Json::If(managed.replicas.has_value(), managed.replicas.value_or(0))},
                             {"credsSecret", Json::Object({{"name", name}})},
                             {"mountPath", "/export"},
                             {"volumeClaimTemplate",
                              Json::Object({{"metadata", Json::Object({{"name", name}})},
                                            {"spec", ClaimSpec(managed.storage_size)}})}})}})
      .BuildDocument();
}

namespace {

Json SecretData(std::initializer_list<std::pair<const char*, std::string>> values) {
  std::vector<Json::Member> data;
  for (const auto& [key, value] : values)
    data.emplace_back(std::string_view(key), Base64Encode(value));
  return Json::Object(std::move(data));
}

}  // namespace

rapidjson::Document BuildMysqlSecret(const Mattermost& mattermost, const RandomBytes& random) {
  return Json::Object({{"apiVersion", "v1"},
                       {"kind", "Secret"},
                       {"metadata", ChildMetadata(mattermost, MysqlSecretName(mattermost), {})},
                       {"data", SecretData({{"DATABASE", "mattermost"},
                                            {"PASSWORD", NewOperatorId(random, 16)},
                                            {"ROOT_PASSWORD", NewOperatorId(random, 16)},
                                            {"USER", "mmuser"}})}})
      .BuildDocument();
}

rapidjson::Document BuildMinioSecret(const Mattermost& mattermost, const RandomBytes& random) {
  LabelSet labels;
  labels.Set("v1alpha1.mattermost.com/resource", mattermost.name);
  return Json::Object({{"apiVersion", "v1"},
                       {"kind", "Secret"},
                       {"metadata", ChildMetadata(mattermost, mattermost.name + "-minio", labels)},
                       {"data", SecretData({{"accesskey", NewOperatorId(random, 16)},
                                            {"secretkey", NewOperatorId(random, 28)}})}})
      .BuildDocument();
}

std::optional<rapidjson::Document> WithLiveSecretData(const rapidjson::Value& desired,
                                                      const rapidjson::Value& live) {
  const rapidjson::Value* wanted = FindMember(desired, "data");
  const rapidjson::Value* held = FindMember(live, "data");
  if (held == nullptr || !held->IsObject()) return std::nullopt;
  if (wanted != nullptr && wanted->IsObject()) {
    for (const auto& member : wanted->GetObject()) {
      if (!held->HasMember(member.name)) return std::nullopt;
    }
  }
  rapidjson::Document kept;
  kept.CopyFrom(desired, kept.GetAllocator());
  SetMember(kept, "data", rapidjson::Value(*held, kept.GetAllocator()), kept.GetAllocator());
  return kept;
}

}  // namespace mm
