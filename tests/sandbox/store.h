#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tests/sandbox/json_util.h"

namespace sandbox {

enum class EventType { kAdded, kModified, kDeleted };

// One committed change. `object` is the state after (for kDeleted: the last state, with the
// deletion's resourceVersion); `previous` the state before (null for kAdded).
struct Event {
  uint64_t rv = 0;
  EventType type = EventType::kAdded;
  std::string storage_id;
  std::string key;
  ObjectPtr object;
  ObjectPtr previous;
};

// Receives every event of the storage ids it subscribed to, synchronously, after the commit.
class EventListener {
 public:
  virtual ~EventListener() = default;
  virtual void OnEvent(const Event& event) = 0;
};

// The object store: one map per resource (storage id "group/plural") from "ns/name" to an
// immutable object, a single global resourceVersion counter, and a bounded window of recent
// events for watch resume and consistent paginated reads. Single-threaded by design.
class Store {
 public:
  explicit Store(size_t window_size) : window_size_(window_size == 0 ? 1 : window_size) {}

  uint64_t rv() const { return rv_; }
  // The oldest resourceVersion still resumable: a watch or snapshot read from an older one is
  // answered 410 Expired.
  uint64_t oldest_rv() const { return compacted_rv_; }

  ObjectPtr Get(std::string_view storage_id, std::string_view key) const;

  // Stores `object` under `key`, stamping metadata.resourceVersion with the next counter value.
  // Returns the stored object. Emits ADDED or MODIFIED.
  ObjectPtr Put(std::string_view storage_id, std::string_view key, rapidjson::Document object);
  // Removes `key`; emits DELETED with the last state re-stamped with the new resourceVersion.
  // Returns the removed object (null when absent).
  ObjectPtr Delete(std::string_view storage_id, std::string_view key);

  // Visits objects of `storage_id` whose key starts with `prefix` and sorts after `start_after`,
  // in key order, as they were at resourceVersion `at_rv` (0 = now). Stops when `visit` returns
  // false. `at_rv` must be >= oldest_rv().
  void Scan(std::string_view storage_id, std::string_view prefix, std::string_view start_after,
            uint64_t at_rv,
            const std::function<bool(const std::string&, const ObjectPtr&)>& visit) const;
  // Events newer than `after_rv` for `storage_id`, oldest first (after_rv >= oldest_rv()).
  std::vector<const Event*> EventsAfter(std::string_view storage_id, uint64_t after_rv) const;

  void Subscribe(std::string_view storage_id, EventListener* listener);
  void Unsubscribe(std::string_view storage_id, EventListener* listener);

  // The (storage id, key) of every object with an ownerReference to `owner_uid`.
  std::vector<std::pair<std::string, std::string>> Dependents(std::string_view owner_uid) const;

  // Every storage id with at least one object (for snapshots and namespace cleanup).
  std::vector<std::string> StorageIds() const;
  size_t Count(std::string_view storage_id) const;
  // Puts a snapshot's object back as it was (no new resourceVersion, no event).
  void Restore(std::string_view storage_id, std::string_view key, ObjectPtr object);
  // Restores the counter when loading a snapshot.
  void SetRv(uint64_t rv) { rv_ = compacted_rv_ = rv; }

 private:
  void Record(Event event);
  // Keeps owners_ in step when `key` changes from `before` to `after` (either may be null).
  void IndexOwners(const std::string& storage_id, const std::string& key, const ObjectPtr& before,
                   const ObjectPtr& after);

  using Collection = std::map<std::string, ObjectPtr, std::less<>>;
  std::unordered_map<std::string, Collection> collections_;
  std::unordered_map<std::string, std::set<EventListener*>> listeners_;
  // owner uid -> (storage id, key) of its dependents, so garbage collection needs no scan.
  std::map<std::string, std::set<std::pair<std::string, std::string>>, std::less<>> owners_;
  std::deque<Event> window_;
  size_t window_size_;
  uint64_t rv_ = 0;
  uint64_t compacted_rv_ = 0;
};

// Stamps metadata.resourceVersion of `object`.
void SetResourceVersion(rapidjson::Document& object, uint64_t rv);

}  // namespace sandbox
