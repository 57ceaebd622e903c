#pragma once

#include <functional>
#include <string>

#include "tests/sandbox/http_types.h"
#include "tests/sandbox/resources.h"
#include "tests/sandbox/selectors.h"
#include "tests/sandbox/store.h"

namespace sandbox {

// What a watch request asked for.
struct WatchOptions {
  std::string ns;  // "" = all namespaces (or cluster-scoped)
  ObjectFilter filter;
  bool from_start = true;  // resourceVersion unset or "0": synthetic ADDED for current objects
  uint64_t from_rv = 0;
  bool send_initial_events =
      false;  // ADDED for current objects, then the initial-events-end bookmark
  bool bookmarks = false;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds(5)};
};

// Turns one event object into the JSON text of the event's "object" (plain object, or a Table
// row for `kubectl get -w`). `first` is true for the stream's first rendered object.
using EventRenderer = std::function<std::string(const Json& object, bool first)>;

// A watch response: newline-delimited JSON events for one resource, filtered by namespace and
// selectors. Objects that stop (start) matching a selector are sent as DELETED (ADDED), as
// kube-apiserver's watch cache does. A resourceVersion older than the store's window yields one
// ERROR event (410 Expired) and the end of the stream.
class WatchStream : public Stream, public EventListener {
 public:
  WatchStream(Store& store, ResourceType type, WatchOptions options, EventRenderer render);
  ~WatchStream() override;

  void Start(StreamSink* sink) override;
  void Tick() override;
  void Stop() override;
  std::chrono::steady_clock::time_point deadline() const override { return options_.deadline; }
  void OnEvent(const Event& event) override;

 private:
  bool Matches(const ObjectPtr& object) const;
  void Send(std::string_view type, const Json& object);
  void SendBookmark(bool initial_events_end);

  Store& store_;
  ResourceType type_;
  WatchOptions options_;
  EventRenderer render_;
  StreamSink* sink_ = nullptr;
  bool subscribed_ = false;
  bool first_ = true;
  uint64_t last_rv_ = 0;
  std::chrono::steady_clock::time_point last_bookmark_;
};

}  // namespace sandbox
