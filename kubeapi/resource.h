#pragma once

#include <string>

namespace mm::kubeapi {

// A REST resource: where objects of one kind live (GroupVersionResource plus scope).
struct ResourceMapping {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string resource;  // plural, lower-case: "deployments"
  std::string kind;      // "Deployment"
  bool namespaced = true;

  // Returns "v1" or "apps/v1".
  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  // Returns "deployments.apps" or "pods", as kubectl names resources in messages.
  std::string GroupResource() const { return group.empty() ? resource : resource + "." + group; }
  bool operator==(const ResourceMapping&) const = default;
};

// Splits "apps/v1" into group "apps" and version "v1" ("v1" -> "" and "v1").
inline void SplitApiVersion(const std::string& api_version, std::string& group,
                            std::string& version) {
  size_t slash = api_version.find('/');
  group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

}  // namespace mm::kubeapi
