#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "kubeapi/resource.h"

namespace mm::kubeapi {

// A subresource ("deployments/scale") as discovery lists it.
struct DiscoveredSubresource {
  std::string name;     // "scale"
  std::string group;    // of the kind it returns; may differ from the parent's (autoscaling)
  std::string version;  // "" when the same as the parent's
  std::string kind;     // "Scale"
  std::vector<std::string> verbs;
  bool operator==(const DiscoveredSubresource&) const = default;
};

// One resource as discovery describes it: the mapping plus the names users may type.
struct DiscoveredResource {
  ResourceMapping mapping;
  std::string singular;  // "deployment"; "" when the server did not say
  std::vector<std::string> short_names;
  std::vector<std::string> verbs;
  std::vector<std::string> categories;
  std::vector<DiscoveredSubresource> subresources;
  bool operator==(const DiscoveredResource&) const = default;
};

// The resources of one group version.
struct DiscoveredGroupVersion {
  std::string group;  // "" for the core group
  std::string version;
  std::vector<DiscoveredResource> resources;

  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  bool operator==(const DiscoveredGroupVersion&) const = default;
};

// Everything one API server serves, in the server's order: the core group first, and the
// versions of a group adjacent with the preferred one first.
struct DiscoverySnapshot {
  std::vector<DiscoveredGroupVersion> group_versions;
  bool operator==(const DiscoverySnapshot&) const = default;
};

// kubectl's Accept for /api and /apis: aggregated discovery v2, then v2beta1, then the legacy
// documents.
extern const char kDiscoveryAccept[];

// Returns true when `content_type` names an aggregated discovery document
// (application/json;g=apidiscovery.k8s.io;v=v2|v2beta1;as=APIGroupDiscoveryList, parameters in
// any order, extra parameters allowed). kubectl decides only from the Content-Type, and so do we.
bool IsAggregatedDiscovery(std::string_view content_type);

// Parses an APIGroupDiscoveryList (aggregated /api or /apis). Fails with kInvalid on text that is
// not such a document.
Result<std::vector<DiscoveredGroupVersion>> ParseAggregatedDiscovery(std::string_view body);

// Parses the legacy /api (APIVersions: core versions) when `core`, else /apis (APIGroupList), into
// group versions without resources, preferred versions first. Fails with kInvalid.
Result<std::vector<DiscoveredGroupVersion>> ParseLegacyGroups(std::string_view body, bool core);

// Parses an APIResourceList (GET /api/v1, /apis/<group>/<version>) into `group_version`'s
// resources; entries named "resource/sub" become subresources. Fails with kInvalid.
Result<void> ParseResourceList(std::string_view body, DiscoveredGroupVersion& group_version);

// The legacy documents kubectl keeps in its discovery cache: an APIGroupList of every group (the
// core group named ""), and the APIResourceList of one group version.
std::string GroupListJson(const DiscoverySnapshot& snapshot);
std::string ResourceListJson(const DiscoveredGroupVersion& group_version);

}  // namespace mm::kubeapi
