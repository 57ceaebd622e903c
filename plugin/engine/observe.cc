#include "plugin/engine/observe.h"

#include "core/json.h"
#include "core/mattermost/render.h"
#include "core/mattermost/update_job.h"

namespace mm::engine {
namespace {

// GETs one object; a null document (kNullType) when it does not exist.
Result<rapidjson::Document> GetIfExists(kubeapi::Client& client, const std::string& api_version,
                                        const std::string& kind, const std::string& namespace_name,
                                        const std::string& name) {
  auto mapping = client.mapper().Mapping(api_version, kind);
  if (!mapping) return std::move(mapping).error();
  auto object =
      client.rest().Get(*mapping, mapping->namespaced ? namespace_name : std::string(), name);
  if (!object && IsNotFound(object.error())) return rapidjson::Document();
  return object;
}

// Reads Secret `name`'s keys and values; fails with `<what> secret "<name>" not found`.
Result<std::map<std::string, std::string>> ReadSecret(kubeapi::Client& client,
                                                      const std::string& namespace_name,
                                                      const std::string& name,
                                                      const std::string& what) {
  auto secret = GetIfExists(client, "v1", "Secret", namespace_name, name);
  if (!secret) return std::move(secret).error();
  if (secret->IsNull()) {
    return Error::Invalid(what + " secret \"" + name + "\" not found in namespace \"" +
                          namespace_name + "\"");
  }
  return SecretKeys(*secret);
}

Result<void> CheckLicenseSecret(kubeapi::Client& client, const Mattermost& mattermost) {
  const std::string& name = mattermost.spec.license_secret;
  if (name.empty()) return {};
  auto keys = ReadSecret(client, mattermost.namespace_, name, "license");
  if (!keys) return std::move(keys).error();
  if (!keys->contains("license")) {
    return Error::Invalid("secret " + name + " is missing data key: license");
  }
  return {};
}

// Lists `kind` objects of the installation into `observation`; returns pointers to them.
Result<std::vector<const rapidjson::Value*>> ListInstallation(kubeapi::Client& client,
                                                              const std::string& api_version,
                                                              const std::string& kind,
                                                              const Mattermost& mattermost,
                                                              Observation& observation) {
  auto mapping = client.mapper().Mapping(api_version, kind);
  if (!mapping) return std::move(mapping).error();
  // Every object the health check looks for carries the installation label (labels S ⊂ L, P).
  kubeapi::ListOptions options{.label_selector =
                                   "installation.mattermost.com/installation=" + mattermost.name};
  auto list = client.rest().List(*mapping, mattermost.namespace_, options);
  if (!list) return std::move(list).error();
  observation.documents.push_back(std::move(*list));
  std::vector<const rapidjson::Value*> items;
  const rapidjson::Value* array = FindMember(observation.documents.back(), "items");
  if (array != nullptr && array->IsArray()) {
    for (const rapidjson::Value& item : array->GetArray()) items.push_back(&item);
  }
  return items;
}

}  // namespace

Result<ClusterFacts> ReadClusterFacts(kubeapi::Client& client, const Mattermost& mattermost) {
  ClusterFacts facts;
  MM_RETURN_IF_ERROR(CheckLicenseSecret(client, mattermost));
  const DatabaseSpec& database = mattermost.spec.database;
  if (database.IsExternal()) {
    auto keys = ReadSecret(client, mattermost.namespace_, *database.external_secret, "database");
    if (!keys) return std::move(keys).error();
    auto connection = keys->find("DB_CONNECTION_STRING");
    if (connection == keys->end() || connection->second.empty()) {
      return Error::Invalid("database secret \"" + *database.external_secret +
                            "\" has no DB_CONNECTION_STRING");
    }
    facts.external_db_secret = std::move(*keys);
  } else {
    auto keys = ReadSecret(client, mattermost.namespace_, mattermost.name + "-mysql-root-password",
                           "operator-managed MySQL");
    if (!keys) return std::move(keys).error();
    facts.mysql_database = (*keys)["DATABASE"];
  }
  if (mattermost.spec.file_store.Mode() == FileStoreMode::kOperatorManaged) {
    std::string service = mattermost.name + "-minio-hl-svc";
    auto live = GetIfExists(client, "v1", "Service", mattermost.namespace_, service);
    if (!live) return std::move(live).error();
    const rapidjson::Value* spec = live->IsNull() ? nullptr : FindMember(*live, "spec");
    const rapidjson::Value* ports = spec ? FindMember(*spec, "ports") : nullptr;
    if (ports == nullptr || !ports->IsArray() || ports->Empty() || !(*ports)[0].HasMember("port")) {
      return Error::Invalid("minio service \"" + service +
                            "\" not found (is the MinIO operator "
                            "running?)");
    }
    facts.minio_service_port = (*ports)[0]["port"].GetInt();
  }
  return facts;
}

Result<void> ObserveChildren(kubeapi::Client& client, const Mattermost& mattermost,
                             const DesiredState& desired, const rapidjson::Value& live_mattermost,
                             Observation& observation) {
  ObservedState& state = observation.state;
  state.status = ReadMattermostStatus(live_mattermost);
  auto keep = [&](rapidjson::Document document) -> const rapidjson::Value* {
    if (document.IsNull()) return nullptr;
    observation.documents.push_back(std::move(document));
    return &observation.documents.back();
  };
  for (const DesiredChild& child : desired.children) {
    auto live =
        GetIfExists(client, child.api_version, child.kind, mattermost.namespace_, child.name);
    if (!live) return std::move(live).error();
    const rapidjson::Value* object = keep(std::move(*live));
    if (object == nullptr) continue;
    state.objects[ObjectKey(child.kind, child.name)] = object;
    if (child.kind == "Deployment" && child.name == mattermost.name) {
      state.health.deployment = object;
    } else if (child.kind == "Deployment") {
      state.health.job_server_deployment = object;
    }
  }
  auto job = GetIfExists(client, "batch/v1", "Job", mattermost.namespace_, kUpdateJobName);
  if (!job) return std::move(job).error();
  state.update_job = keep(std::move(*job));
  auto replica_sets = ListInstallation(client, "apps/v1", "ReplicaSet", mattermost, observation);
  if (!replica_sets) return std::move(replica_sets).error();
  state.health.replica_sets = std::move(*replica_sets);
  auto services = ListInstallation(client, "v1", "Service", mattermost, observation);
  if (!services) return std::move(services).error();
  state.health.services = std::move(*services);
  auto ingresses =
      ListInstallation(client, "networking.k8s.io/v1", "Ingress", mattermost, observation);
  if (!ingresses) return std::move(ingresses).error();
  state.health.ingresses = std::move(*ingresses);
  return {};
}

}  // namespace mm::engine
