#pragma once

#include <rapidjson/document.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kubeapi/cancellation.h"

namespace mm::engine {

// An object read from the cluster, shared and immutable (it may point into a list document).
using SharedObject = std::shared_ptr<const rapidjson::Value>;

// The label every object of an installation carries (operator.md §3.0).
inline constexpr char kInstallationLabel[] = "installation.mattermost.com/installation";

// Objects of several resources (keyed by GroupResource, e.g. "deployments.apps"), indexed by
// namespace/name and by installation label: the local operator's informer caches, or one list of
// each resource for `reconcile -A`. A resource is "synced" once Replace filled it. Thread-safe;
// the objects handed out stay valid after they leave the cache.
class ObjectCache {
 public:
  // Replaces every object of `resource` with `objects` and marks it synced; wakes WaitSynced.
  void Replace(const std::string& resource, std::vector<SharedObject> objects);
  // Adds or replaces one object (a watch event).
  void Put(const std::string& resource, SharedObject object);
  // Removes the object with `object`'s namespace and name.
  void Remove(const std::string& resource, const rapidjson::Value& object);

  bool Synced(const std::string& resource) const;
  // Waits until `resource` is synced; false when `cancel` fired first.
  bool WaitSynced(const std::string& resource, const kubeapi::CancellationToken* cancel) const;

  // Returns the object, or null.
  SharedObject Find(const std::string& resource, const std::string& namespace_name,
                    const std::string& name) const;
  // Returns the objects of `namespace_name` whose installation label is `installation`, by name.
  std::vector<SharedObject> FindInstallation(const std::string& resource,
                                             const std::string& namespace_name,
                                             const std::string& installation) const;
  // Returns every object of `resource`, by namespace/name.
  std::vector<SharedObject> Objects(const std::string& resource) const;

 private:
  struct Resource {
    bool synced = false;
    std::map<std::string, SharedObject> by_key;  // "namespace/name"
    // "namespace/installation" -> "namespace/name" -> object
    std::map<std::string, std::map<std::string, SharedObject>> by_installation;
  };
  void Insert(Resource& resource, SharedObject object);
  void Erase(Resource& resource, const std::string& key);

  mutable std::mutex mutex_;
  mutable std::condition_variable synced_;
  std::map<std::string, Resource> resources_;
};

}  // namespace mm::engine
