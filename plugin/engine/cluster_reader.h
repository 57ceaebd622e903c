#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "kubeapi/resource.h"
#include "kubeapi/rest_client.h"
#include "plugin/engine/object_cache.h"

namespace mm::engine {

// Where a reconcile pass reads the cluster from. LiveReader asks the API server for every object
// (one installation: fewest requests); CachedReader answers from objects listed once per resource
// (`reconcile --all/-A`: O(kinds) requests for any number of installations) or kept by informers
// (`reconcile --watch`: no request at all once in sync). Writes never go through a reader.
class ClusterReader {
 public:
  virtual ~ClusterReader() = default;

  // Returns object `name` of `mapping`'s resource in `namespace_name` ("" for cluster-scoped
  // resources), or null when it does not exist. Fails with the API error of a read.
  virtual Result<SharedObject> Get(const kubeapi::ResourceMapping& mapping,
                                   const std::string& namespace_name, const std::string& name) = 0;

  // Returns the objects of `mapping`'s resource in `namespace_name` labelled
  // installation.mattermost.com/installation=`installation`. Fails with the API error.
  virtual Result<std::vector<SharedObject>> ListInstallation(
      const kubeapi::ResourceMapping& mapping, const std::string& namespace_name,
      const std::string& installation) = 0;
};

// Reads straight from the API server: a GET per Get (404 is null), a labelled LIST per
// ListInstallation. `rest` is borrowed.
class LiveReader : public ClusterReader {
 public:
  explicit LiveReader(kubeapi::RestClient& rest) : rest_(rest) {}
  Result<SharedObject> Get(const kubeapi::ResourceMapping& mapping,
                           const std::string& namespace_name, const std::string& name) override;
  Result<std::vector<SharedObject>> ListInstallation(const kubeapi::ResourceMapping& mapping,
                                                     const std::string& namespace_name,
                                                     const std::string& installation) override;

 private:
  kubeapi::RestClient& rest_;
};

// Remembers the first answer of every Get (also "not found") and gives it again: one reconcile
// pass reads through it, so an object it reads for the cluster facts and again as a child (the
// MySQL secret, a local claim) costs one request. Lists are not remembered. `inner` is borrowed.
// Not thread-safe.
class MemoReader : public ClusterReader {
 public:
  explicit MemoReader(ClusterReader& inner) : inner_(inner) {}
  Result<SharedObject> Get(const kubeapi::ResourceMapping& mapping,
                           const std::string& namespace_name, const std::string& name) override;
  Result<std::vector<SharedObject>> ListInstallation(const kubeapi::ResourceMapping& mapping,
                                                     const std::string& namespace_name,
                                                     const std::string& installation) override {
    return inner_.ListInstallation(mapping, namespace_name, installation);
  }

 private:
  ClusterReader& inner_;
  std::map<std::string, SharedObject> answers_;  // "resource/namespace/name"
};

// Reads from an ObjectCache. The first read of a resource the cache does not hold yet calls
// `load`, which must fill it (list it once, or start an informer and wait for its first sync);
// its error is the read's. Thread-safe when `load` is. `cache` is borrowed.
class CachedReader : public ClusterReader {
 public:
  using Loader = std::function<Result<void>(const kubeapi::ResourceMapping&)>;

  CachedReader(ObjectCache& cache, Loader load) : cache_(cache), load_(std::move(load)) {}
  Result<SharedObject> Get(const kubeapi::ResourceMapping& mapping,
                           const std::string& namespace_name, const std::string& name) override;
  Result<std::vector<SharedObject>> ListInstallation(const kubeapi::ResourceMapping& mapping,
                                                     const std::string& namespace_name,
                                                     const std::string& installation) override;

 private:
  Result<void> Ensure(const kubeapi::ResourceMapping& mapping);

  ObjectCache& cache_;
  Loader load_;
};

// A CachedReader::Loader that lists the whole resource once — in `namespace_name` ("" = every
// namespace; cluster-scoped resources are listed whole), in one request (no paging), parsed in
// place (RestClient::ListInPlace) — into `cache`. Borrowed arguments must outlive the loader.
CachedReader::Loader ListOnceLoader(kubeapi::RestClient& rest, ObjectCache& cache,
                                    std::string namespace_name);

// Shares each item of `list` (an object with an "items" array; none when it has none) as its own
// object; every item keeps `owner`, which holds `list`, alive.
std::vector<SharedObject> ShareItems(const std::shared_ptr<const void>& owner,
                                     const rapidjson::Value& list);

// Reads object `name` of kind `kind` (`api_version`, mapped by `client`) through `reader`; null
// when it does not exist. Fails with the mapping's or the read's error.
Result<SharedObject> GetIfExists(kubeapi::Client& client, ClusterReader& reader,
                                 const std::string& api_version, const std::string& kind,
                                 const std::string& namespace_name, const std::string& name);

// The API server's NotFound error for object `name` of `mapping`, for readers that answer from a
// cache: `<resource>.<group> "<name>" not found`.
Error NotFoundError(const kubeapi::ResourceMapping& mapping, const std::string& name);

}  // namespace mm::engine
