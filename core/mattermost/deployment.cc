#include "core/mattermost/deployment.h"

#include "core/json_builder.h"
#include "core/mattermost/database.h"
#include "core/mattermost/env.h"
#include "core/mattermost/file_store.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/probes.h"

namespace mm {
namespace {

enum class Role { kMain, kJobServer };

// Appends every element of the JSON array `extra` (may be nullptr) to `items`.
void AppendAll(std::vector<Json>& items, const rapidjson::Value* extra) {
  if (extra == nullptr) return;
  for (const rapidjson::Value& item : extra->GetArray()) items.push_back(Json::Copy(&item));
}

Json ArrayOrOmit(std::vector<Json> items) {
  std::erase_if(items, [](const Json& item) { return item.omitted(); });
  return items.empty() ? Json::Omit() : Json::Array(std::move(items));
}

const std::string& LicenseSecret(const Mattermost& mattermost) {
  return mattermost.spec.license_secret;
}

Json Volumes(const Mattermost& mattermost) {
  std::vector<Json> volumes;
  AppendAll(volumes, mattermost.spec.volumes);
  volumes.push_back(FileStoreVolume(mattermost));
  if (!LicenseSecret(mattermost).empty()) {
    volumes.push_back(
        Json::Object({{"name", "mattermost-license"},
                      {"secret", Json::Object({{"secretName", LicenseSecret(mattermost)}})}}));
  }
  return ArrayOrOmit(std::move(volumes));
}

Json VolumeMounts(const Mattermost& mattermost) {
  std::vector<Json> mounts;
  AppendAll(mounts, mattermost.spec.volume_mounts);
  mounts.push_back(FileStoreVolumeMount(mattermost));
  if (!LicenseSecret(mattermost).empty()) {
    mounts.push_back(Json::Object({{"name", "mattermost-license"},
                                   {"mountPath", "/mattermost-license"},
                                   {"readOnly", true}}));
  }
  return ArrayOrOmit(std::move(mounts));
}

Json InitContainers(const Mattermost& mattermost, const ClusterFacts& facts) {
  std::vector<Json> containers = DatabaseInitContainers(mattermost, facts);
  for (Json& container : FileStoreInitContainers(mattermost, facts)) {
    containers.push_back(std::move(container));
  }
  AppendAll(containers, mattermost.spec.init_containers);
  return ArrayOrOmit(std::move(containers));
}

Json Command(const Mattermost& mattermost, Role role) {
  if (role == Role::kJobServer) return Json::Array({"mattermost", "jobserver"});
  const auto& pod = mattermost.spec.pod_template;
  if (!pod || !pod->command) return Json::Array({"mattermost"});
  std::vector<Json> words(pod->command->begin(), pod->command->end());
  return ArrayOrOmit(std::move(words));
}

Json Ports(const Mattermost& mattermost, Role role) {
  if (role == Role::kJobServer) return Json::Omit();
  std::vector<Json> ports = {Json::Object({{"name", "app"}, {"containerPort", 8065}}),
                             Json::Object({{"name", "metrics"}, {"containerPort", 8067}})};
  AppendAll(ports, mattermost.spec.container_ports);
  return Json::Array(std::move(ports));
}

Json MainContainer(const Mattermost& mattermost, const ClusterFacts& facts, Role role) {
  bool main = role == Role::kMain;
  const auto& pod = mattermost.spec.pod_template;
  return Json::Object({
      {"name", main ? kAppContainerName : kJobServerContainerName},
      {"image", mattermost.ImageRef()},
      {"command", Command(mattermost, role)},
      {"ports", Ports(mattermost, role)},
      {"env", EnvArray(MattermostEnv(mattermost, facts))},
      {"resources", mattermost.spec.resources != nullptr ? Json::Copy(mattermost.spec.resources)
                                                         : Json::Object({})},
      {"volumeMounts", VolumeMounts(mattermost)},
      {"livenessProbe", Json::If(main, LivenessProbe(mattermost.spec.liveness_probe))},
      {"readinessProbe", Json::If(main, ReadinessProbe(mattermost.spec.readiness_probe))},
      {"terminationMessagePolicy", "FallbackToLogsOnError"},
      {"imagePullPolicy",
       Json::If(!mattermost.spec.image_pull_policy.empty(), mattermost.spec.image_pull_policy)},
      {"securityContext", Json::Copy(pod ? pod->container_security_context : nullptr)},
  });
}

Json Containers(const Mattermost& mattermost, const ClusterFacts& facts, Role role) {
  std::vector<Json> containers = {MainContainer(mattermost, facts, role)};
  if (role == Role::kMain) AppendAll(containers, mattermost.spec.sidecar_containers);
  return Json::Array(std::move(containers));
}

StringMap PodAnnotations(const Mattermost& mattermost) {
  StringMap annotations;
  if (mattermost.spec.pod_template) annotations = mattermost.spec.pod_template->extra_annotations;
  if (!LicenseSecret(mattermost).empty()) {
    annotations["prometheus.io/scrape"] = "true";
    annotations["prometheus.io/path"] = "/metrics";
    annotations["prometheus.io/port"] = "8067";
  }
  return annotations;
}

Json PodSpec(const Mattermost& mattermost, const ClusterFacts& facts, Role role) {
  const MattermostSpec& spec = mattermost.spec;
  return Json::Object({
      {"volumes", Volumes(mattermost)},
      {"initContainers", InitContainers(mattermost, facts)},
      {"containers", Containers(mattermost, facts, role)},
      {"dnsPolicy", Json::If(!spec.dns_policy.empty(), spec.dns_policy)},
      {"nodeSelector", Json::Copy(spec.node_selector)},
      {"serviceAccountName", mattermost.name},
      {"securityContext",
       Json::Copy(spec.pod_template ? spec.pod_template->security_context : nullptr)},
      {"imagePullSecrets", Json::Copy(spec.image_pull_secrets)},
      {"affinity", Json::Copy(spec.affinity)},
      {"tolerations", Json::Copy(spec.tolerations)},
      {"dnsConfig", Json::Copy(spec.dns_config)},
  });
}

Json Strategy(const Mattermost& mattermost) {
  if (mattermost.spec.deployment_strategy_type == "Recreate") {
    return Json::Object({{"type", "Recreate"}});
  }
  return Json::Object({{"type", "RollingUpdate"},
                       {"rollingUpdate", Json::Object({{"maxUnavailable", 0}, {"maxSurge", 1}})}});
}

// metadata.labels, with the operator's map-aliasing quirk (§3.0): when spec.resourceLabels is
// set, the Deployment ends up labelled like its pods.
LabelSet DeploymentLabels(const Mattermost& mattermost, Role role) {
  if (!mattermost.spec.resource_labels) return ObjectLabels(mattermost);
  return role == Role::kMain ? PodLabels(mattermost) : JobServerPodLabels(mattermost);
}

rapidjson::Document Build(const Mattermost& mattermost, const ClusterFacts& facts, Role role) {
  bool main = role == Role::kMain;
  LabelSet pod_labels = main ? PodLabels(mattermost) : JobServerPodLabels(mattermost);
  std::optional<int32_t> replicas = main ? mattermost.spec.replicas : 1;
  std::string name = main ? mattermost.name : mattermost.name + "-jobserver";
  StringMap annotations = PodAnnotations(mattermost);
  return Json::Object(
             {{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", ChildMetadata(mattermost, name, DeploymentLabels(mattermost, role))},
              {"spec",
               Json::Object(
                   {{"replicas", Json::If(replicas.has_value(), replicas.value_or(0))},
                    {"selector",
                     Json::Object({{"matchLabels",
                                    (main ? SelectorLabels(mattermost) : pod_labels).ToJson()}})},
                    {"template",
                     Json::Object(
                         {{"metadata",
                           Json::Object({{"labels", pod_labels.ToJson()},
                                         {"annotations", Json::If(!annotations.empty(),
                                                                  Json::StringMap(annotations))}})},
                          {"spec", PodSpec(mattermost, facts, role)}})},
                    {"strategy", Strategy(mattermost)},
                    {"revisionHistoryLimit",
                     mattermost.spec.revision_history_limit.value_or(5)}})}})
      .BuildDocument();
}

}  // namespace

rapidjson::Document BuildDeployment(const Mattermost& mattermost, const ClusterFacts& facts) {
  return Build(mattermost, facts, Role::kMain);
}

rapidjson::Document BuildJobServerDeployment(const Mattermost& mattermost,
                                             const ClusterFacts& facts) {
  return Build(mattermost, facts, Role::kJobServer);
}

}  // namespace mm
