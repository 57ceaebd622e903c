#include "core/mattermost/conversion.h"

#include "core/json.h"
#include "core/json_builder.h"

namespace mm {
namespace {

const rapidjson::Value* Member(const rapidjson::Value* object, const char* key) {
  if (object == nullptr) return nullptr;
  const rapidjson::Value* value = FindMember(*object, key);
  return value == nullptr || value->IsNull() ? nullptr : value;
}

std::string Str(const rapidjson::Value* object, const char* key) {
  return object == nullptr ? "" : GetString(*object, key);
}

bool Flag(const rapidjson::Value* object, const char* key) {
  const rapidjson::Value* value = Member(object, key);
  return value != nullptr && value->IsBool() && value->GetBool();
}

// A non-empty string, else Omit() (Go's omitempty).
Json NonEmpty(const std::string& value) { return Json::If(!value.empty(), value); }
Json True(bool value) { return Json::If(value, true); }

// v1alpha1 int32 replicas (0 = unset) to the v1beta1 pointer.
Json Replicas(const rapidjson::Value* object) {
  const rapidjson::Value* value = Member(object, "replicas");
  int64_t replicas = value != nullptr && value->IsInt64() ? value->GetInt64() : 0;
  if (replicas == 0) return Json::Omit();
  return replicas < 0 ? Json(0) : Json(replicas);
}

// A map or slice field with omitempty: left out when absent or empty.
Json NonEmptyCopy(const rapidjson::Value* value) {
  bool empty = value == nullptr || (value->IsObject() && value->MemberCount() == 0) ||
               (value->IsArray() && value->Empty());
  return empty ? Json::Omit() : Json::Copy(value);
}

// An embedded struct Go always serializes (`{}` when empty).
Json Struct(const rapidjson::Value* value) {
  return value != nullptr ? Json::Copy(value) : Json::Object({});
}

Json FileStore(const rapidjson::Value* minio) {
  std::string url = Str(minio, "externalURL");
  if (!url.empty()) {
    return Json::Object(
        {{"external", Json::Object({{"url", url},
                                    {"bucket", NonEmpty(Str(minio, "externalBucket"))},
                                    {"secret", NonEmpty(Str(minio, "secret"))}})}});
  }
  return Json::Object(
      {{"operatorManaged", Json::Object({{"storageSize", NonEmpty(Str(minio, "storageSize"))},
                                         {"replicas", Replicas(minio)},
                                         {"resources", Struct(Member(minio, "resources"))}})}});
}

Json OperatorManagedDatabase(const rapidjson::Value* db) {
  std::vector<Json::Member> members = {{"type", NonEmpty(Str(db, "type"))},
                                       {"storageSize", NonEmpty(Str(db, "storageSize"))},
                                       {"replicas", Replicas(db)},
                                       {"resources", Struct(Member(db, "resources"))}};
  for (const char* key :
       {"initBucketURL", "backupSchedule", "backupURL", "backupRemoteDeletePolicy",
        "backupSecretName", "backupRestoreSecretName", "version"}) {
    members.emplace_back(std::string_view(key), NonEmpty(Str(db, key)));
  }
  return Json::Object({{"operatorManaged", Json::Object(std::move(members))}});
}

Result<Json> Database(const rapidjson::Value* db,
                      const std::map<std::string, std::string>* db_secret) {
  std::string secret = Str(db, "secret");
  if (secret.empty()) return OperatorManagedDatabase(db);
  if (db_secret == nullptr) {
    return Error::Invalid(
        "failed to convert ClusterInstallation.Spec.Database to "
        "Mattermost.Spec.Database: failed to get Database Secret " +
        secret);
  }
  if (db_secret->count("DB_CONNECTION_STRING") > 0) {
    return Json::Object({{"external", Json::Object({{"secret", secret}})}});
  }
  static const std::pair<const char*, const char*> kRequired[] = {
      {"ROOT_PASSWORD", "database root password shouldn't be empty"},
      {"USER", "database username shouldn't be empty"},
      {"PASSWORD", "database password shouldn't be empty"},
      {"DATABASE", "database name shouldn't be empty"}};
  for (const auto& [key, message] : kRequired) {
    auto it = db_secret->find(key);
    if (it == db_secret->end() || it->second.empty()) {
      return Error::Invalid(std::string("failed to convert ClusterInstallation.Spec.Database to "
                                        "Mattermost.Spec.Database: dbInfo generated from Secret "
                                        "is invalid: ") +
                            message);
    }
  }
  return OperatorManagedDatabase(db);
}

}  // namespace

Result<void> CheckConvertible(const rapidjson::Value& cluster_installation) {
  const rapidjson::Value* spec = Member(&cluster_installation, "spec");
  if (Flag(Member(spec, "blueGreen"), "enable")) {
    return Error::Invalid(
        "ClusterInstallation resource with BlueGreen enabled cannot be converted to Mattermost "
        "resource. Disable BlueGreen to enable migration.");
  }
  if (Flag(Member(spec, "canary"), "enable")) {
    return Error::Invalid(
        "ClusterInstallation resource with Canary enabled cannot be converted to Mattermost "
        "resource. Disable Canary to enable migration.");
  }
  return {};
}

Result<rapidjson::Document> ConvertClusterInstallation(
    const rapidjson::Value& cluster_installation,
    const std::map<std::string, std::string>* db_secret) {
  MM_RETURN_IF_ERROR(CheckConvertible(cluster_installation));
  const rapidjson::Value* metadata = Member(&cluster_installation, "metadata");
  const rapidjson::Value* spec = Member(&cluster_installation, "spec");
  auto database = Database(Member(spec, "database"), db_secret);
  if (!database) return std::move(database).error();
  const rapidjson::Value* es = Member(spec, "elasticSearch");
  Json converted_spec = Json::Object({
      {"size", NonEmpty(Str(spec, "size"))},
      {"image", NonEmpty(Str(spec, "image"))},
      {"version", NonEmpty(Str(spec, "version"))},
      {"replicas", Replicas(spec)},
      {"mattermostEnv", NonEmptyCopy(Member(spec, "mattermostEnv"))},
      {"licenseSecret", NonEmpty(Str(spec, "mattermostLicenseSecret"))},
      {"ingressName", Str(spec, "ingressName")},
      {"ingressAnnotations", NonEmptyCopy(Member(spec, "ingressAnnotations"))},
      {"useIngressTLS", True(Flag(spec, "useIngressTLS"))},
      {"useServiceLoadBalancer", True(Flag(spec, "useServiceLoadBalancer"))},
      {"serviceAnnotations", NonEmptyCopy(Member(spec, "serviceAnnotations"))},
      {"resourceLabels", NonEmptyCopy(Member(spec, "resourceLabels"))},
      {"imagePullPolicy", NonEmpty(Str(spec, "imagePullPolicy"))},
      {"database", std::move(*database)},
      {"fileStore", FileStore(Member(spec, "minio"))},
      {"elasticSearch", Json::Object({{"host", NonEmpty(Str(es, "host"))},
                                      {"username", NonEmpty(Str(es, "username"))},
                                      {"password", NonEmpty(Str(es, "password"))}})},
      {"scheduling", Json::Object({{"resources", Struct(Member(spec, "resources"))},
                                   {"nodeSelector", NonEmptyCopy(Member(spec, "nodeSelector"))},
                                   {"affinity", Json::Copy(Member(spec, "affinity"))}})},
      {"probes", Json::Object({{"livenessProbe", Struct(Member(spec, "livenessProbe"))},
                               {"readinessProbe", Struct(Member(spec, "readinessProbe"))}})},
      {"podExtensions", Json::Object({})},
  });
  return Json::Object(
             {{"apiVersion", "installation.mattermost.com/v1beta1"},
              {"kind", "Mattermost"},
              {"metadata",
               Json::Object({{"name", Str(metadata, "name")},
                             {"namespace", NonEmpty(Str(metadata, "namespace"))},
                             {"labels", NonEmptyCopy(Member(metadata, "labels"))},
                             {"annotations", NonEmptyCopy(Member(metadata, "annotations"))}})},
              {"spec", std::move(converted_spec)}})
      .BuildDocument();
}

}  // namespace mm
