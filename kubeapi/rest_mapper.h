#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"
#include "kubeapi/discovery_client.h"
#include "kubeapi/resource.h"
#include "kubeapi/rest_client.h"

namespace mm::kubeapi {

// Returns the statically known mapping of a built-in kind ("apps/v1", "Deployment"), or nullptr.
// Built-in types never need discovery, which saves round trips on every command.
const ResourceMapping* BuiltinMapping(const std::string& api_version, const std::string& kind);

// Maps apiVersion + kind (and the names users type) to REST resources: built-in kinds from a
// static table, everything else (custom resources) through discovery (DiscoveryClient: aggregated
// or legacy documents, optionally kept in kubectl's on-disk cache). A name missing from a cached
// snapshot triggers one re-discovery, because a CRD may have been created since. Thread-safe.
class RestMapper {
 public:
  // `client` must outlive the mapper. `cache_dir` is the server's discovery cache directory
  // (DiscoveryCacheDir); "" keeps discovery in memory only.
  explicit RestMapper(RestClient& client, const std::string& cache_dir = "")
      : discovery_(client, cache_dir) {}

  // Returns the mapping for `kind` in `api_version`. Fails with kInvalid, in kubectl's words,
  // when the server does not serve the group version or the kind is not in it:
  // `no matches for kind "X" in version "g/v"`; other failures as RestClient.
  Result<ResourceMapping> Mapping(const std::string& api_version, const std::string& kind);

  // Returns the mapping for the object's apiVersion and kind.
  Result<ResourceMapping> MappingFor(const rapidjson::Value& object);

  // Returns the resource a user names as kubectl accepts it: the plural, singular, a short name or
  // the kind, case-insensitive ("mattermosts", "mattermost", "mm", "Mattermost"), optionally
  // qualified by group ("mattermosts.installation.mattermost.com") or version and group
  // ("mattermosts.v1beta1.installation.mattermost.com"). The core group comes first, then groups
  // in the server's order, preferred versions first. Fails with kInvalid:
  // `the server doesn't have a resource type "X"`; other failures as RestClient.
  Result<ResourceMapping> ResourceFor(const std::string& name);

  // Forgets what discovery found (in memory and on disk): the next lookup asks the server.
  void Invalidate();

 private:
  using Finder = std::function<std::optional<ResourceMapping>(const DiscoverySnapshot&)>;
  // Runs `find` on the discovery snapshot, re-discovering once when it finds nothing in a
  // snapshot that was not fetched by this very call; returns nullopt when still not found.
  Result<std::optional<ResourceMapping>> Find(const Finder& find);

  std::mutex mutex_;
  DiscoveryClient discovery_;
};

}  // namespace mm::kubeapi
