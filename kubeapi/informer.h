#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <string>

#include "core/result.h"
#include "kubeapi/watch.h"

namespace mm::kubeapi {

// Objects by "namespace/name" (or "name" for cluster-scoped ones).
using ObjectStore = std::map<std::string, rapidjson::Document>;

// Returns the store key of `object`.
std::string StoreKey(const rapidjson::Value& object);

// A list-then-watch cache of one resource (client-go's informer, minus threads): Run lists, then
// watches from the list's resourceVersion, applying every event to Store(). When the watch's
// version is too old (410), it relists, turns the difference against the cache into synthetic
// ADDED/MODIFIED/DELETED events, and watches again from the new list. Not thread-safe; Store() is
// valid between handler calls and after Run.
class Informer {
 public:
  // Called once after every (re)list with `event` null (the store is in sync), and after each
  // applied event. Return kStop to end Run successfully.
  using Handler = std::function<WatchDecision(const WatchEvent* event, const ObjectStore& store)>;

  // `client` must outlive the informer. `selectors` narrows the list and the watch.
  Informer(RestClient& client, ResourceMapping mapping, std::string namespace_name,
           ListOptions selectors);

  // Runs until the handler stops it, `deadline` (kTimeout) or `cancel` (kInterrupted); other
  // errors as RestClient::List and WatchResource.
  Result<void> Run(const Handler& handler, Clock& clock, Clock::TimePoint deadline,
                   const CancellationToken* cancel);

  const ObjectStore& Store() const { return store_; }

 private:
  // Lists and reconciles the store with the result; returns the list's resourceVersion.
  Result<std::string> Relist(const Handler& handler, bool& stop);

  RestClient& client_;
  ResourceMapping mapping_;
  std::string namespace_name_;
  ListOptions selectors_;
  ObjectStore store_;
  bool listed_ = false;  // the first list fills the store without events
};

// Waits until `condition` holds for the object `name` (null when it does not exist), using an
// informer on that one name, never polling. Returns the object that satisfied the condition (a
// null document when absence did). Fails with kTimeout "timed out waiting for the condition on
// <resource>/<name>" at `deadline`, kInterrupted on `cancel`, or the API error.
Result<rapidjson::Document> WaitFor(RestClient& client, const ResourceMapping& mapping,
                                    const std::string& namespace_name, const std::string& name,
                                    const std::function<bool(const rapidjson::Value*)>& condition,
                                    Clock& clock, Clock::TimePoint deadline,
                                    const CancellationToken* cancel);

}  // namespace mm::kubeapi
