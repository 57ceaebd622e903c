#include "tests/sandbox/resources.h"

#include <algorithm>

namespace sandbox {
namespace {

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};
const std::vector<std::string> kStatusVerbs = {"get", "patch", "update"};

struct Spec {
  std::string group, version, plural, singular, kind;
  bool namespaced;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  bool status = false;
  bool scale = false;
  bool generation = false;
};

ResourceType Make(const Spec& s) {
  ResourceType t;
  t.group = s.group;
  t.version = s.version;
  t.plural = s.plural;
  t.singular = s.singular;
  t.kind = s.kind;
  t.namespaced = s.namespaced;
  t.short_names = s.short_names;
  t.categories = s.categories;
  t.verbs = kAllVerbs;
  t.has_status = s.status;
  t.has_scale = s.scale;
  t.generation = s.generation;
  if (s.status) t.subresources.push_back({"status", s.kind, "", "", kStatusVerbs});
  if (s.scale) t.subresources.push_back({"scale", "Scale", "autoscaling", "v1", kStatusVerbs});
  return t;
}

ResourceType Review(std::string group, std::string plural, std::string singular, std::string kind) {
  ResourceType t;
  t.group = std::move(group);
  t.version = "v1";
  t.plural = std::move(plural);
  t.singular = std::move(singular);
  t.kind = std::move(kind);
  t.namespaced = false;
  t.verbs = {"create"};
  t.storage = false;
  return t;
}

}  // namespace

bool ResourceType::HasSubresource(std::string_view name) const {
  return std::any_of(subresources.begin(), subresources.end(),
                     [&](const Subresource& s) { return s.name == name; });
}

bool ResourceType::HasVerb(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

std::vector<ResourceType> BuiltinResources() {
  std::vector<ResourceType> out;
  const std::vector<std::string> all = {"all"};
  // Core group.
  ResourceType ns =
      Make({"", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {}, true});
  ns.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
  ns.subresources.push_back({"finalize", "Namespace", "", "", {"update"}});
  out.push_back(ns);
  out.push_back(Make({"", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}}));
  out.push_back(Make({"", "v1", "endpoints", "endpoints", "Endpoints", true, {"ep"}}));
  out.push_back(Make({"", "v1", "events", "event", "Event", true, {"ev"}}));
  ResourceType nodes = Make({"", "v1", "nodes", "node", "Node", false, {"no"}, {}, true});
  out.push_back(nodes);
  out.push_back(Make({"",
                      "v1",
                      "persistentvolumeclaims",
                      "persistentvolumeclaim",
                      "PersistentVolumeClaim",
                      true,
                      {"pvc"},
                      {},
                      true}));
  out.push_back(Make({"",
                      "v1",
                      "persistentvolumes",
                      "persistentvolume",
                      "PersistentVolume",
                      false,
                      {"pv"},
                      {},
                      true}));
  ResourceType pods = Make({"", "v1", "pods", "pod", "Pod", true, {"po"}, all, true});
  pods.subresources.push_back({"attach", "PodAttachOptions", "", "", {"create", "get"}});
  pods.subresources.push_back({"eviction", "Eviction", "policy", "v1", {"create"}});
  pods.subresources.push_back({"exec", "PodExecOptions", "", "", {"create", "get"}});
  pods.subresources.push_back({"log", "Pod", "", "", {"get"}});
  pods.subresources.push_back({"portforward", "PodPortForwardOptions", "", "", {"create", "get"}});
  out.push_back(pods);
  out.push_back(Make({"", "v1", "secrets", "secret", "Secret", true}));
  ResourceType sa =
      Make({"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}});
  sa.subresources.push_back({"token", "TokenRequest", "authentication.k8s.io", "v1", {"create"}});
  out.push_back(sa);
  out.push_back(Make({"", "v1", "services", "service", "Service", true, {"svc"}, all, true}));
  // apps/v1
  out.push_back(Make({"apps",
                      "v1",
                      "daemonsets",
                      "daemonset",
                      "DaemonSet",
                      true,
                      {"ds"},
                      all,
                      true,
                      false,
                      true}));
  out.push_back(Make({"apps",
                      "v1",
                      "deployments",
                      "deployment",
                      "Deployment",
                      true,
                      {"deploy"},
                      all,
                      true,
                      true,
                      true}));
  out.push_back(Make({"apps",
                      "v1",
                      "replicasets",
                      "replicaset",
                      "ReplicaSet",
                      true,
                      {"rs"},
                      all,
                      true,
                      true,
                      true}));
  out.push_back(Make({"apps",
                      "v1",
                      "statefulsets",
                      "statefulset",
                      "StatefulSet",
                      true,
                      {"sts"},
                      all,
                      true,
                      true,
                      true}));
  // Reviews (create-only, never stored).
  out.push_back(Review("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview",
                       "SelfSubjectReview"));
  ResourceType ssar = Review("authorization.k8s.io", "selfsubjectaccessreviews",
                             "selfsubjectaccessreview", "SelfSubjectAccessReview");
  out.push_back(ssar);
  out.push_back(Review("authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview",
                       "SelfSubjectRulesReview"));
  // batch/v1
  out.push_back(Make(
      {"batch", "v1", "cronjobs", "cronjob", "CronJob", true, {"cj"}, all, true, false, true}));
  out.push_back(Make({"batch", "v1", "jobs", "job", "Job", true, {}, all, true, false, true}));
  // networking.k8s.io/v1
  out.push_back(Make({"networking.k8s.io",
                      "v1",
                      "ingressclasses",
                      "ingressclass",
                      "IngressClass",
                      false,
                      {},
                      {},
                      false,
                      false,
                      true}));
  out.push_back(Make({"networking.k8s.io",
                      "v1",
                      "ingresses",
                      "ingress",
                      "Ingress",
                      true,
                      {"ing"},
                      {},
                      true,
                      false,
                      true}));
  out.push_back(Make({"networking.k8s.io",
                      "v1",
                      "networkpolicies",
                      "networkpolicy",
                      "NetworkPolicy",
                      true,
                      {"netpol"},
                      {},
                      false,
                      false,
                      true}));
  // policy/v1
  out.push_back(Make({"policy",
                      "v1",
                      "poddisruptionbudgets",
                      "poddisruptionbudget",
                      "PodDisruptionBudget",
                      true,
                      {"pdb"},
                      {},
                      true,
                      false,
                      true}));
  // rbac.authorization.k8s.io/v1
  const std::string rbac = "rbac.authorization.k8s.io";
  out.push_back(
      Make({rbac, "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false}));
  out.push_back(Make({rbac, "v1", "clusterroles", "clusterrole", "ClusterRole", false}));
  out.push_back(Make({rbac, "v1", "rolebindings", "rolebinding", "RoleBinding", true}));
  out.push_back(Make({rbac, "v1", "roles", "role", "Role", true}));
  // apiextensions.k8s.io/v1
  out.push_back(Make({"apiextensions.k8s.io",
                      "v1",
                      "customresourcedefinitions",
                      "customresourcedefinition",
                      "CustomResourceDefinition",
                      false,
                      {"crd", "crds"},
                      {"api-extensions"},
                      true,
                      false,
                      true}));
  // coordination.k8s.io/v1
  out.push_back(Make({"coordination.k8s.io", "v1", "leases", "lease", "Lease", true}));
  return out;
}

Registry::Registry() : builtin_(BuiltinResources()) { Rebuild(); }

const ResourceType* Registry::Find(std::string_view group, std::string_view version,
                                   std::string_view plural) const {
  for (const auto& t : types_) {
    if (t.plural == plural && t.group == group && t.version == version) return &t;
  }
  return nullptr;
}

const ResourceType* Registry::FindStorage(std::string_view storage_id) const {
  for (const auto& t : types_) {
    if (t.StorageId() == storage_id) return &t;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::vector<std::string>>> Registry::Groups() const {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& t : types_) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == t.group; });
    if (it == groups.end()) {
      groups.push_back({t.group, {t.version}});
    } else if (std::find(it->second.begin(), it->second.end(), t.version) == it->second.end()) {
      it->second.push_back(t.version);
    }
  }
  return groups;
}

void Registry::SetCustom(std::string_view crd_name, std::vector<ResourceType> types) {
  auto it = custom_.find(crd_name);
  if (types.empty()) {
    if (it != custom_.end()) custom_.erase(it);
  } else {
    custom_[std::string(crd_name)] = std::move(types);
  }
  Rebuild();
}

void Registry::Rebuild() {
  types_ = builtin_;
  for (const auto& [name, types] : custom_) {
    types_.insert(types_.end(), types.begin(), types.end());
  }
  ++generation_;
}

}  // namespace sandbox
