#include "plugin/engine/observe.h"

#include "core/json.h"
#include "core/mattermost/update_job.h"

namespace mm::engine {
namespace {

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
