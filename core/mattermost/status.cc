#include "core/mattermost/status.h"

#include "core/json.h"
#include "core/json_reader.h"
#include "core/mattermost/labels.h"

namespace mm {
namespace {

constexpr char kRevisionAnnotation[] = "deployment.kubernetes.io/revision";

std::optional<PatchStatus> ReadPatchStatus(const JsonReader& patches, const char* key) {
  JsonReader entry = patches.Object(key);
  if (!entry.present()) return std::nullopt;
  return PatchStatus{entry.Bool("applied"), entry.String("error")};
}

Json PatchJson(const std::optional<PatchStatus>& status) {
  if (!status) return Json::Omit();
  return Json::Object({{"applied", Json::If(status->applied, true)},
                       {"error", Json::If(!status->error.empty(), status->error)}});
}

Json NonEmpty(const std::string& value) { return Json::If(!value.empty(), value); }

int64_t Int(const rapidjson::Value* object, std::initializer_list<const char*> path) {
  const rapidjson::Value* node = object;
  for (const char* key : path) {
    if (node == nullptr) return 0;
    node = FindMember(*node, key);
  }
  return node != nullptr && node->IsInt64() ? node->GetInt64() : 0;
}

std::string Annotation(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  const rapidjson::Value* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  return annotations ? GetString(*annotations, key) : "";
}

bool HasLabels(const rapidjson::Value& object, const LabelSet& labels) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  const rapidjson::Value* have = metadata ? FindMember(*metadata, "labels") : nullptr;
  if (have == nullptr) return labels.empty();
  for (const auto& [key, value] : labels) {
    if (GetString(*have, key, "\x01") != value) return false;
  }
  return true;
}

// The ReplicaSet rollout check: returns "" and fills replicas/updated, or the reason.
std::string CheckRollout(const rapidjson::Value* deployment, const LabelSet& pod_labels,
                         const std::vector<const rapidjson::Value*>& replica_sets,
                         int32_t& replicas, int32_t& updated) {
  if (deployment == nullptr) return "deployment not found";
  if (Int(deployment, {"metadata", "generation"}) !=
      Int(deployment, {"status", "observedGeneration"})) {
    return "mattermost deployment not yet picked up by the Deployment controller";
  }
  std::string revision = Annotation(*deployment, kRevisionAnnotation);
  for (const rapidjson::Value* set : replica_sets) {
    if (!HasLabels(*set, pod_labels) || Annotation(*set, kRevisionAnnotation) != revision ||
        Int(set, {"status", "observedGeneration"}) <= 0) {
      continue;
    }
    replicas = static_cast<int32_t>(Int(deployment, {"status", "replicas"}));
    updated = static_cast<int32_t>(Int(set, {"status", "availableReplicas"}));
    return "";
  }
  return "replicaSet did not start rolling pods";
}

// The one object of `objects` carrying the `selector` labels; nullptr unless exactly one does.
const rapidjson::Value* OnlyMatching(const std::vector<const rapidjson::Value*>& objects,
                                     const LabelSet& selector) {
  const rapidjson::Value* found = nullptr;
  for (const rapidjson::Value* object : objects) {
    if (!HasLabels(*object, selector)) continue;
    if (found != nullptr) return nullptr;
    found = object;
  }
  return found;
}

// The endpoint, or a reason it cannot be found yet.
std::string FindEndpoint(const Mattermost& mattermost, const HealthObservation& observed,
                         std::string& endpoint) {
  LabelSet selector = SelectorLabels(mattermost);
  if (mattermost.spec.use_service_load_balancer) {
    const rapidjson::Value* service = OnlyMatching(observed.services, selector);
    if (service == nullptr) return "should return just one service";
    const rapidjson::Value* status = FindMember(*service, "status");
    const rapidjson::Value* balancer = status ? FindMember(*status, "loadBalancer") : nullptr;
    const rapidjson::Value* ingress = balancer ? FindMember(*balancer, "ingress") : nullptr;
    if (ingress == nullptr || !ingress->IsArray()) return "waiting for the load balancer";
    if (!ingress->Empty()) {
      std::string host = GetString((*ingress)[0], "hostname");
      endpoint = host.empty() ? GetString((*ingress)[0], "ip") : host;
    }
    return "";
  }
  if (!mattermost.IngressEnabled()) return "";
  const rapidjson::Value* ingress = OnlyMatching(observed.ingresses, selector);
  if (ingress == nullptr) return "should return just one ingress";
  const rapidjson::Value* spec = FindMember(*ingress, "spec");
  const rapidjson::Value* rules = spec ? FindMember(*spec, "rules") : nullptr;
  if (rules != nullptr && rules->IsArray() && !rules->Empty()) {
    endpoint = GetString((*rules)[0], "host");
  }
  return "";
}

}  // namespace

MattermostStatus ReadMattermostStatus(const rapidjson::Value& resource) {
  std::vector<std::string> ignored;
  JsonReader status(FindMember(resource, "status"), "status", &ignored);
  JsonReader patches = status.Object("resourcePatch");
  return {.state = status.String("state"),
          .version = status.String("version"),
          .image = status.String("image"),
          .endpoint = status.String("endpoint"),
          .replicas = status.Int32("replicas").value_or(0),
          .updated_replicas = status.Int32("updatedReplicas").value_or(0),
          .observed_generation = status.Int64("observedGeneration").value_or(0),
          .error = status.String("error"),
          .service_patch = ReadPatchStatus(patches, "servicePatch"),
          .deployment_patch = ReadPatchStatus(patches, "deploymentPatch")};
}

Json StatusJson(const MattermostStatus& status) {
  bool patches = status.service_patch || status.deployment_patch;
  return Json::Object(
      {{"state", NonEmpty(status.state)},
       {"version", NonEmpty(status.version)},
       {"image", NonEmpty(status.image)},
       {"endpoint", NonEmpty(status.endpoint)},
       {"replicas", Json::If(status.replicas != 0, status.replicas)},
       {"updatedReplicas", Json::If(status.updated_replicas != 0, status.updated_replicas)},
       {"observedGeneration",
        Json::If(status.observed_generation != 0, status.observed_generation)},
       {"error", NonEmpty(status.error)},
       {"resourcePatch",
        Json::If(patches,
                 Json::Object({{"servicePatch", PatchJson(status.service_patch)},
                               {"deploymentPatch", PatchJson(status.deployment_patch)}}))}});
}

HealthResult CheckHealth(const Mattermost& mattermost, const HealthObservation& observed,
                         const MattermostStatus& previous) {
  HealthResult result;
  MattermostStatus& status = result.status;
  status.state = "reconciling";
  status.observed_generation = mattermost.generation;
  status.service_patch = previous.service_patch;
  status.deployment_patch = previous.deployment_patch;
  auto unhealthy = [&](std::string reason) {
    result.reason = std::move(reason);
    return result;
  };
  std::string problem =
      CheckRollout(observed.deployment, PodLabels(mattermost), observed.replica_sets,
                   status.replicas, status.updated_replicas);
  if (!problem.empty()) return unhealthy(problem);
  int32_t want = mattermost.spec.replicas.value_or(1);
  if (want > 0 && status.updated_replicas == 0) return unhealthy("no updated replicas available");
  status.image = mattermost.spec.image;
  status.version = mattermost.spec.version;
  status.endpoint = "not available";
  std::string endpoint;
  problem = FindEndpoint(mattermost, observed, endpoint);
  if (!problem.empty()) return unhealthy(problem);
  if (!endpoint.empty()) status.endpoint = endpoint;
  if (want > 0) status.state = "ready";
  if (status.updated_replicas != want || status.replicas != want) {
    return unhealthy("found " + std::to_string(status.updated_replicas) + " updated replicas and " +
                     std::to_string(status.replicas) + " replicas, want " + std::to_string(want));
  }
  if (mattermost.spec.dedicated_job_server) {
    int32_t replicas = 0;
    int32_t updated = 0;
    problem = CheckRollout(observed.job_server_deployment, JobServerPodLabels(mattermost),
                           observed.replica_sets, replicas, updated);
    if (!problem.empty()) return unhealthy("job server: " + problem);
    if (updated != 1 || replicas != 1) return unhealthy("job server is not ready");
  }
  status.state = "stable";
  result.healthy = true;
  return result;
}

bool IsStable(const rapidjson::Value& resource) {
  MattermostStatus status = ReadMattermostStatus(resource);
  return status.state == "stable" &&
         Int(&resource, {"metadata", "generation"}) == status.observed_generation;
}

bool IsReadyOrStable(const rapidjson::Value& resource) {
  MattermostStatus status = ReadMattermostStatus(resource);
  return (status.state == "stable" || status.state == "ready") &&
         Int(&resource, {"metadata", "generation"}) == status.observed_generation;
}

}  // namespace mm
