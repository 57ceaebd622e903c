#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/resource.h"
#include "kubeapi/rest_client.h"

namespace mm::kubeapi {

// Returns the statically known mapping of a built-in kind ("apps/v1", "Deployment"), or nullptr.
// Built-in types never need discovery, which saves round trips on every command.
const ResourceMapping* BuiltinMapping(const std::string& api_version, const std::string& kind);

// Maps apiVersion + kind to REST resources: built-in kinds from a static table, everything else
// (custom resources) through discovery of its group version (GET /apis/<group>/<version>), cached
// per group version. A kind missing from a cached document triggers one re-discovery, because a
// CRD may have been created since. Thread-safe.
class RestMapper {
 public:
  // `client` must outlive the mapper.
  explicit RestMapper(RestClient& client) : client_(client) {}

  // Returns the mapping for `kind` in `api_version`. Fails with kInvalid, in kubectl's words,
  // when the server does not serve the group version or the kind is not in it:
  // `no matches for kind "X" in version "g/v"`; other failures as RestClient.
  Result<ResourceMapping> Mapping(const std::string& api_version, const std::string& kind);

  // Returns the mapping for the object's apiVersion and kind.
  Result<ResourceMapping> MappingFor(const rapidjson::Value& object);

  // Forgets every discovered group version.
  void Invalidate();

 private:
  Result<std::vector<ResourceMapping>> Discover(const std::string& api_version);

  RestClient& client_;
  std::mutex mutex_;
  std::map<std::string, std::vector<ResourceMapping>> discovered_;  // by group version
};

}  // namespace mm::kubeapi
