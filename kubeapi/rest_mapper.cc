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

namespace {

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

Error NoMatchForKind(const std::string& kind, const std::string& api_version) {
  return Error::Invalid("no matches for kind \"" + kind + "\" in version \"" + api_version + "\"");
}

// A resource name as typed, split like kubectl's ParseResourceArg: "res", "res.group" or
// "res.version.group".
struct ResourceArg {
  std::string resource;
  std::string version;  // "" = any
  std::string group;    // "" with `any_group` = any
  bool any_group = true;
};

std::vector<ResourceArg> ParseResourceArg(const std::string& name) {
  std::string lower = Lower(name);
  size_t dot = lower.find('.');
  if (dot == std::string::npos) return {{lower, "", "", true}};
  std::vector<ResourceArg> out;
  std::string resource = lower.substr(0, dot);
  std::string rest = lower.substr(dot + 1);
  size_t second = rest.find('.');
  if (second != std::string::npos) {
    out.push_back({resource, rest.substr(0, second), rest.substr(second + 1), false});
  }
  out.push_back({resource, "", rest, false});
  return out;
}

bool NameMatches(const DiscoveredResource& resource, const std::string& name) {
  if (resource.mapping.resource == name || resource.singular == name ||
      Lower(resource.mapping.kind) == name) {
    return true;
  }
  for (const std::string& short_name : resource.short_names) {
    if (short_name == name) return true;
  }
  return false;
}

}  // namespace

Result<std::optional<ResourceMapping>> RestMapper::Find(const Finder& find) {
  std::lock_guard<std::mutex> lock(mutex_);
  bool had_snapshot = discovery_.has_snapshot();
  Result<std::shared_ptr<const DiscoverySnapshot>> snapshot = discovery_.Snapshot();
  if (!snapshot) return std::move(snapshot).error();
  if (std::optional<ResourceMapping> found = find(**snapshot)) return found;
  if (!had_snapshot && discovery_.fresh()) return std::optional<ResourceMapping>();
  discovery_.Invalidate();
  snapshot = discovery_.Snapshot();
  if (!snapshot) return std::move(snapshot).error();
  return find(**snapshot);
}

Result<ResourceMapping> RestMapper::Mapping(const std::string& api_version,
                                            const std::string& kind) {
  if (const ResourceMapping* builtin = BuiltinMapping(api_version, kind)) return *builtin;
  std::string group;
  std::string version;
  SplitApiVersion(api_version, group, version);
  Result<std::optional<ResourceMapping>> found =
      Find([&](const DiscoverySnapshot& snapshot) -> std::optional<ResourceMapping> {
        for (const DiscoveredGroupVersion& group_version : snapshot.group_versions) {
          if (group_version.group != group || group_version.version != version) continue;
          for (const DiscoveredResource& resource : group_version.resources) {
            if (resource.mapping.kind == kind) return resource.mapping;
          }
        }
        return std::nullopt;
      });
  if (!found) return std::move(found).error();
  if (!*found) return NoMatchForKind(kind, api_version);
  return **found;
}

Result<ResourceMapping> RestMapper::ResourceFor(const std::string& name) {
  std::vector<ResourceArg> candidates = ParseResourceArg(name);
  Result<std::optional<ResourceMapping>> found =
      Find([&](const DiscoverySnapshot& snapshot) -> std::optional<ResourceMapping> {
        for (const ResourceArg& arg : candidates) {
          for (const DiscoveredGroupVersion& group_version : snapshot.group_versions) {
            if (!arg.any_group && group_version.group != arg.group) continue;
            if (!arg.version.empty() && group_version.version != arg.version) continue;
            for (const DiscoveredResource& resource : group_version.resources) {
              if (NameMatches(resource, arg.resource)) return resource.mapping;
            }
          }
        }
        return std::nullopt;
      });
  if (!found) return std::move(found).error();
  if (!*found) return Error::Invalid("the server doesn't have a resource type \"" + name + "\"");
  return **found;
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
  discovery_.Invalidate();
}

}  // namespace mm::kubeapi
