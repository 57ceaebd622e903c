#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/result.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/informer.h"
#include "kubeapi/rest_client.h"

namespace mm::engine {

// One set of objects a LiveView keeps: a resource in a namespace, narrowed by selectors.
struct WatchSource {
  kubeapi::ResourceMapping mapping;
  std::string namespace_name;
  kubeapi::ListOptions selectors;
};

// The latest copy of several sets of objects, each kept by an informer (list, then watch) on its
// own thread, so a command can follow many kinds of object at once without polling. Readers get
// copies; WaitForChange blocks until any set changes. The destructor stops and joins the threads.
class LiveView {
 public:
  // `client` must outlive the view.
  LiveView(kubeapi::RestClient& client, std::vector<WatchSource> sources);
  ~LiveView();
  LiveView(const LiveView&) = delete;
  LiveView& operator=(const LiveView&) = delete;

  // Called on an informer's thread with every watch event of source `index` before the view
  // takes it in: lets a caller catch states that a later event replaces (a Job that failed and
  // was deleted at once).
  using EventHook = std::function<void(size_t index, const kubeapi::WatchEvent& event)>;
  // Sets the hook; call before Start.
  void SetEventHook(EventHook hook) { hook_ = std::move(hook); }
  // Starts the informers.
  void Start();
  // Waits until every source has listed once and the change counter differs from `seen`, or
  // `timeout` passes. Returns the counter (pass it back as `seen` next time).
  uint64_t WaitForChange(uint64_t seen, std::chrono::milliseconds timeout);
  // True once every source has listed.
  bool Synced() const;
  // Counts as a change (e.g. a log stream ended), waking WaitForChange.
  void Poke();
  // Copies of the objects of source `index`, in store-key order.
  std::vector<rapidjson::Document> Objects(size_t index) const;
  // The first informer failure (they stop on errors other than a cancellation).
  std::optional<Error> failure() const;

 private:
  void Watch(size_t index);

  kubeapi::RestClient& client_;
  std::vector<WatchSource> sources_;
  EventHook hook_;
  kubeapi::CancellationToken stop_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<rapidjson::Document>> objects_;
  std::vector<bool> synced_;
  uint64_t version_ = 0;
  std::optional<Error> failure_;
  std::vector<std::thread> threads_;
};

// Returns the object named `name` among `objects`, or null.
const rapidjson::Value* FindNamed(const std::vector<rapidjson::Document>& objects,
                                  const std::string& name);

}  // namespace mm::engine
