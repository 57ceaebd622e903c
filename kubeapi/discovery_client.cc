#include "kubeapi/discovery_client.h"

namespace mm::kubeapi {

Result<std::shared_ptr<const DiscoverySnapshot>> DiscoveryClient::Snapshot() {
  if (snapshot_) return snapshot_;
  if (!distrust_disk_) {
    if (std::optional<DiscoverySnapshot> cached = disk_.Load()) {
      snapshot_ = std::make_shared<const DiscoverySnapshot>(std::move(*cached));
      fresh_ = false;
      return snapshot_;
    }
  }
  Result<DiscoverySnapshot> fetched = FetchFromServer();
  if (!fetched) return std::move(fetched).error();
  disk_.Store(*fetched);  // best effort: a read-only home must not fail the command
  snapshot_ = std::make_shared<const DiscoverySnapshot>(std::move(*fetched));
  fresh_ = true;
  distrust_disk_ = false;  // what is on disk now is what we just read from the server
  return snapshot_;
}

void DiscoveryClient::Invalidate() {
  snapshot_.reset();
  fresh_ = false;
  distrust_disk_ = true;
}

Result<DiscoverySnapshot> DiscoveryClient::FetchFromServer() {
  DiscoverySnapshot snapshot;
  MM_RETURN_IF_ERROR(FetchRoot(true, snapshot));
  MM_RETURN_IF_ERROR(FetchRoot(false, snapshot));
  return snapshot;
}

Result<void> DiscoveryClient::FetchRoot(bool core, DiscoverySnapshot& snapshot) {
  const std::string root = core ? "/api" : "/apis";
  Result<HttpResponse> response = rest_.Do({.path = root, .accept = kDiscoveryAccept});
  if (!response) {
    if (core && IsNotFound(response.error())) return {};  // tolerated, as kubectl does
    return std::move(response).error();
  }
  if (IsAggregatedDiscovery(response->Header("content-type"))) {
    Result<std::vector<DiscoveredGroupVersion>> parsed = ParseAggregatedDiscovery(response->body);
    if (!parsed) return std::move(parsed).error();
    for (DiscoveredGroupVersion& group_version : *parsed) {
      snapshot.group_versions.push_back(std::move(group_version));
    }
    return {};
  }
  Result<std::vector<DiscoveredGroupVersion>> listed = ParseLegacyGroups(response->body, core);
  if (!listed) return std::move(listed).error();
  for (DiscoveredGroupVersion& group_version : *listed) {
    std::string path = (core ? "/api/" : "/apis/") + group_version.GroupVersion();
    Result<HttpResponse> resources = rest_.Do({.path = path});
    if (!resources) {
      // A group version that cannot be listed (e.g. its aggregated API service is down) is left
      // out; the rest of the server is still usable.
      if (resources.error().kind() == ErrorKind::kApi) continue;
      return std::move(resources).error();
    }
    MM_RETURN_IF_ERROR(ParseResourceList(resources->body, group_version));
    snapshot.group_versions.push_back(std::move(group_version));
  }
  return {};
}

}  // namespace mm::kubeapi
