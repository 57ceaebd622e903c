#include "kubeapi/rest_mapper.h"

#include <array>

#include "core/json.h"

namespace mm::kubeapi {
namespace {

// The built-in kinds the plugin reads or writes, plus the common ones users reference.
const std::array<ResourceMapping, 36>& BuiltinTable() {
  static const std::array<ResourceMapping, 36> kTable = {{
      {"", "v1", "pods", "Pod", true},
      {"", "v1", "services", "Service", true},
      {"", "v1", "configmaps", "ConfigMap", true},
      {"", "v1", "secrets", "Secret", true},
      {"", "v1", "serviceaccounts", "ServiceAccount", true},
      {"", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true},
      {"", "v1", "endpoints", "Endpoints", true},
      {"", "v1", "events", "Event", true},
      {"", "v1", "limitranges", "LimitRange", true},
      {"", "v1", "resourcequotas", "ResourceQuota", true},
      {"", "v1", "replicationcontrollers", "ReplicationController", true},
      {"", "v1", "namespaces", "Namespace", false},
      {"", "v1", "nodes", "Node", false},
      {"", "v1", "persistentvolumes", "PersistentVolume", false},
      {"apps", "v1", "deployments", "Deployment", true},
      {"apps", "v1", "statefulsets", "StatefulSet", true},
      {"apps", "v1", "daemonsets", "DaemonSet", true},
      {"apps", "v1", "replicasets", "ReplicaSet", true},
      {"batch", "v1", "jobs", "Job", true},
      {"batch", "v1", "cronjobs", "CronJob", true},
      {"autoscaling", "v1", "scales", "Scale", true},
      {"autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true},
      {"networking.k8s.io", "v1", "ingresses", "Ingress", true},
      {"networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true},
      {"networking.k8s.io", "v1", "ingressclasses", "IngressClass", false},
      {"policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true},
      {"rbac.authorization.k8s.io", "v1", "roles", "Role", true},
      {"rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true},
      {"rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false},
      {"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false},
      {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
       false},
      {"admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations",
       "ValidatingWebhookConfiguration", false},
      {"admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations",
       "MutatingWebhookConfiguration", false},
      {"storage.k8s.io", "v1", "storageclasses", "StorageClass", false},
      {"scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false},
      {"coordination.k8s.io", "v1", "leases", "Lease", true},
  }};
  return kTable;
}

}  // namespace

const ResourceMapping* BuiltinMapping(const std::string& api_version, const std::string& kind) {
  std::string group;
  std::string version;
  SplitApiVersion(api_version, group, version);
  for (const ResourceMapping& mapping : BuiltinTable()) {
    if (mapping.kind == kind && mapping.group == group && mapping.version == version) {
      return &mapping;
    }
  }
  return nullptr;
}

Result<std::vector<ResourceMapping>> RestMapper::Discover(const std::string& api_version) {
  std::string group;
  std::string version;
  SplitApiVersion(api_version, group, version);
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  Result<rapidjson::Document> document = client_.DoJson({.path = path});
  if (!document) return std::move(document).error();
  std::vector<ResourceMapping> mappings;
  const rapidjson::Value* resources = FindMember(*document, "resources");
  if (resources == nullptr || !resources->IsArray()) return mappings;
  for (const rapidjson::Value& resource : resources->GetArray()) {
    std::string name = GetString(resource, "name");
    if (name.empty() || name.find('/') != std::string::npos) continue;  // subresources
    const rapidjson::Value* namespaced = FindMember(resource, "namespaced");
    mappings.push_back({group, version, name, GetString(resource, "kind"),
                        namespaced != nullptr && namespaced->IsBool() && namespaced->GetBool()});
  }
  return mappings;
}

Result<ResourceMapping> RestMapper::Mapping(const std::string& api_version,
                                            const std::string& kind) {
  if (const ResourceMapping* builtin = BuiltinMapping(api_version, kind)) return *builtin;
  std::lock_guard<std::mutex> lock(mutex_);
  auto find = [&](const std::vector<ResourceMapping>& mappings) -> const ResourceMapping* {
    for (const ResourceMapping& mapping : mappings) {
      if (mapping.kind == kind) return &mapping;
    }
    return nullptr;
  };
  auto cached = discovered_.find(api_version);
  if (cached != discovered_.end()) {
    if (const ResourceMapping* mapping = find(cached->second)) return *mapping;
  }
  Result<std::vector<ResourceMapping>> fresh = Discover(api_version);
  if (!fresh) {
    if (IsNotFound(fresh.error())) {
      return Error::Invalid("no matches for kind \"" + kind + "\" in version \"" + api_version +
                            "\"");
    }
    return std::move(fresh).error();
  }
  discovered_[api_version] = std::move(*fresh);
  if (const ResourceMapping* mapping = find(discovered_[api_version])) return *mapping;
  return Error::Invalid("no matches for kind \"" + kind + "\" in version \"" + api_version + "\"");
}

Result<ResourceMapping> RestMapper::MappingFor(const rapidjson::Value& object) {
  std::string api_version = GetString(object, "apiVersion");
  std::string kind = GetString(object, "kind");
  if (api_version.empty() || kind.empty()) {
    return Error::Invalid("Object 'Kind' is missing in '" + ToJson(object).substr(0, 200) + "'");
  }
  return Mapping(api_version, kind);
}

void RestMapper::Invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  discovered_.clear();
}

}  // namespace mm::kubeapi
