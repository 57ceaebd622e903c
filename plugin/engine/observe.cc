#include "plugin/engine/observe.h"

#include "core/json.h"
#include "core/mattermost/render.h"
#include "core/mattermost/update_job.h"

namespace mm::engine {
namespace {

// Reads one object; null when it does not exist.
Result<SharedObject> GetIfExists(kubeapi::Client& client, ClusterReader& reader,
                                 const std::string& api_version, const std::string& kind,
                                 const std::string& namespace_name, const std::string& name) {
  auto mapping = client.mapper().Mapping(api_version, kind);
  if (!mapping) return std::move(mapping).error();
  return reader.Get(*mapping, namespace_name, name);
}

// Reads Secret `name`'s keys and values; fails with `<what> secret "<name>" not found`.
Result<std::map<std::string, std::string>> ReadSecret(kubeapi::Client& client,
                                                      ClusterReader& reader,
                                                      const std::string& namespace_name,
                                                      const std::string& name,
                                                      const std::string& what) {
  auto secret = GetIfExists(client, reader, "v1", "Secret", namespace_name, name);
  if (!secret) return std::move(secret).error();
  if (*secret == nullptr) {
    return Error::Invalid(what + " secret \"" + name + "\" not found in namespace \"" +
                          namespace_name + "\"");
  }
  return SecretKeys(**secret);
}

Result<void> CheckLicenseSecret(kubeapi::Client& client, ClusterReader& reader,
                                const Mattermost& mattermost) {
  const std::string& name = mattermost.spec.license_secret;
  if (name.empty()) return {};
  auto keys = ReadSecret(client, reader, mattermost.namespace_, name, "license");
  if (!keys) return std::move(keys).error();
  if (!keys->contains("license")) {
    return Error::Invalid("secret " + name + " is missing data key: license");
  }
  return {};
}

// Lists `kind` objects of the installation into `observation`; returns pointers to them.
Result<std::vector<const rapidjson::Value*>> ListInstallation(
    kubeapi::Client& client, ClusterReader& reader, const std::string& api_version,
    const std::string& kind, const Mattermost& mattermost, Observation& observation) {
  auto mapping = client.mapper().Mapping(api_version, kind);
  if (!mapping) return std::move(mapping).error();
  // Every object the health check looks for carries the installation label (labels S ⊂ L, P).
  auto objects = reader.ListInstallation(*mapping, mattermost.namespace_, mattermost.name);
  if (!objects) return std::move(objects).error();
  std::vector<const rapidjson::Value*> items;
  for (SharedObject& object : *objects) {
    items.push_back(object.get());
    observation.held.push_back(std::move(object));
  }
  return items;
}

}  // namespace

Result<ClusterFacts> ReadClusterFacts(kubeapi::Client& client, ClusterReader& reader,
                                      const Mattermost& mattermost) {
  ClusterFacts facts;
  MM_RETURN_IF_ERROR(CheckLicenseSecret(client, reader, mattermost));
  const DatabaseSpec& database = mattermost.spec.database;
  if (database.IsExternal()) {
    auto keys =
        ReadSecret(client, reader, mattermost.namespace_, *database.external_secret, "database");
    if (!keys) return std::move(keys).error();
    auto connection = keys->find("DB_CONNECTION_STRING");
    if (connection == keys->end() || connection->second.empty()) {
      return Error::Invalid("database secret \"" + *database.external_secret +
                            "\" has no DB_CONNECTION_STRING");
    }
    facts.external_db_secret = std::move(*keys);
  } else {
    auto keys = ReadSecret(client, reader, mattermost.namespace_,
                           mattermost.name + "-mysql-root-password", "operator-managed MySQL");
    if (!keys) return std::move(keys).error();
    facts.mysql_database = (*keys)["DATABASE"];
  }
  if (mattermost.spec.file_store.Mode() == FileStoreMode::kOperatorManaged) {
    std::string service = mattermost.name + "-minio-hl-svc";
    auto live = GetIfExists(client, reader, "v1", "Service", mattermost.namespace_, service);
    if (!live) return std::move(live).error();
    const rapidjson::Value* spec = *live == nullptr ? nullptr : FindMember(**live, "spec");
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

Result<void> ObserveChildren(kubeapi::Client& client, ClusterReader& reader,
                             const Mattermost& mattermost, const DesiredState& desired,
                             const rapidjson::Value& live_mattermost, Observation& observation) {
  ObservedState& state = observation.state;
  state.status = ReadMattermostStatus(live_mattermost);
  auto keep = [&](SharedObject object) -> const rapidjson::Value* {
    if (object == nullptr) return nullptr;
    observation.held.push_back(std::move(object));
    return observation.held.back().get();
  };
  for (const DesiredChild& child : desired.children) {
    auto live = GetIfExists(client, reader, child.api_version, child.kind, mattermost.namespace_,
                            child.name);
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
  auto job = GetIfExists(client, reader, "batch/v1", "Job", mattermost.namespace_, kUpdateJobName);
  if (!job) return std::move(job).error();
  state.update_job = keep(std::move(*job));
  auto replica_sets =
      ListInstallation(client, reader, "apps/v1", "ReplicaSet", mattermost, observation);
  if (!replica_sets) return std::move(replica_sets).error();
  state.health.replica_sets = std::move(*replica_sets);
  auto services = ListInstallation(client, reader, "v1", "Service", mattermost, observation);
  if (!services) return std::move(services).error();
  state.health.services = std::move(*services);
  auto ingresses =
      ListInstallation(client, reader, "networking.k8s.io/v1", "Ingress", mattermost, observation);
  if (!ingresses) return std::move(ingresses).error();
  state.health.ingresses = std::move(*ingresses);
  return {};
}

}  // namespace mm::engine
