#include "tests/sandbox/store.h"

namespace sandbox {

void SetResourceVersion(rapidjson::Document& object, uint64_t rv) {
  Json& metadata = Child(object, "metadata", object.GetAllocator());
  SetString(metadata, "resourceVersion", std::to_string(rv), object.GetAllocator());
}

ObjectPtr Store::Get(std::string_view storage_id, std::string_view key) const {
  auto c = collections_.find(std::string(storage_id));
  if (c == collections_.end()) return nullptr;
  auto it = c->second.find(key);
  return it == c->second.end() ? nullptr : it->second;
}

namespace {

std::vector<std::string> OwnerUids(const ObjectPtr& object) {
  std::vector<std::string> uids;
  const Json* refs = object ? AtPath(*object, "metadata.ownerReferences") : nullptr;
  if (refs != nullptr && refs->IsArray()) {
    for (const auto& ref : refs->GetArray()) uids.push_back(Str(ref, "uid"));
  }
  return uids;
}

}  // namespace

void Store::IndexOwners(const std::string& storage_id, const std::string& key,
                        const ObjectPtr& before, const ObjectPtr& after) {
  for (const std::string& uid : OwnerUids(before)) {
    auto it = owners_.find(uid);
    if (it == owners_.end()) continue;
    it->second.erase({storage_id, key});
    if (it->second.empty()) owners_.erase(it);
  }
  for (const std::string& uid : OwnerUids(after)) owners_[uid].insert({storage_id, key});
}

std::vector<std::pair<std::string, std::string>> Store::Dependents(
    std::string_view owner_uid) const {
  auto it = owners_.find(owner_uid);
  if (it == owners_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

ObjectPtr Store::Put(std::string_view storage_id, std::string_view key,
                     rapidjson::Document object) {
  SetResourceVersion(object, ++rv_);
  ObjectPtr stored = Freeze(std::move(object));
  Collection& c = collections_[std::string(storage_id)];
  auto it = c.find(key);
  Event event{
      .rv = rv_, .storage_id = std::string(storage_id), .key = std::string(key), .object = stored};
  if (it == c.end()) {
    c.emplace(std::string(key), stored);
  } else {
    event.type = EventType::kModified;
    event.previous = it->second;
    it->second = stored;
  }
  IndexOwners(event.storage_id, event.key, event.previous, stored);
  Record(std::move(event));
  return stored;
}

ObjectPtr Store::Delete(std::string_view storage_id, std::string_view key) {
  auto c = collections_.find(std::string(storage_id));
  if (c == collections_.end()) return nullptr;
  auto it = c->second.find(key);
  if (it == c->second.end()) return nullptr;
  ObjectPtr previous = it->second;
  c->second.erase(it);
  rapidjson::Document last = Clone(*previous);
  SetResourceVersion(last, ++rv_);
  ObjectPtr final_state = Freeze(std::move(last));
  IndexOwners(std::string(storage_id), std::string(key), previous, nullptr);
  Record({.rv = rv_,
          .type = EventType::kDeleted,
          .storage_id = std::string(storage_id),
          .key = std::string(key),
          .object = final_state,
          .previous = previous});
  return final_state;
}

void Store::Record(Event event) {
  window_.push_back(std::move(event));
  while (window_.size() > window_size_) {
    compacted_rv_ = window_.front().rv;
    window_.pop_front();
  }
  const Event& recorded = window_.back();
  auto listeners = listeners_.find(recorded.storage_id);
  if (listeners == listeners_.end()) return;
  // Listeners may unsubscribe while being notified: iterate over a copy.
  std::vector<EventListener*> targets(listeners->second.begin(), listeners->second.end());
  for (EventListener* listener : targets) {
    auto current = listeners_.find(recorded.storage_id);
    if (current != listeners_.end() && current->second.count(listener)) {
      listener->OnEvent(recorded);
    }
  }
}

void Store::Scan(std::string_view storage_id, std::string_view prefix, std::string_view start_after,
                 uint64_t at_rv,
                 const std::function<bool(const std::string&, const ObjectPtr&)>& visit) const {
  // Changes after `at_rv` are undone through an overlay: walking newest to oldest, the last
  // write to the overlay for a key is that key's state at `at_rv` (null = absent).
  std::map<std::string, ObjectPtr, std::less<>> overlay;
  if (at_rv != 0 && at_rv < rv_) {
    for (auto it = window_.rbegin(); it != window_.rend() && it->rv > at_rv; ++it) {
      if (it->storage_id == storage_id) overlay[it->key] = it->previous;
    }
  }
  static const Collection kEmpty;
  auto c = collections_.find(std::string(storage_id));
  const Collection& live = c == collections_.end() ? kEmpty : c->second;
  auto begin = [&](const auto& map) {
    return start_after.empty() ? map.lower_bound(prefix) : map.upper_bound(start_after);
  };
  auto a = begin(live);
  auto b = begin(overlay);
  auto in_prefix = [&](const std::string& key) {
    return key.compare(0, prefix.size(), prefix) == 0;
  };
  while (true) {
    bool a_ok = a != live.end() && in_prefix(a->first);
    bool b_ok = b != overlay.end() && in_prefix(b->first);
    if (!a_ok && !b_ok) return;
    const std::string* key;
    ObjectPtr object;
    if (b_ok && (!a_ok || b->first <= a->first)) {
      if (a_ok && a->first == b->first) ++a;
      key = &b->first;
      object = b->second;
      ++b;
    } else {
      key = &a->first;
      object = a->second;
      ++a;
    }
    if (object != nullptr && !visit(*key, object)) return;
  }
}

std::vector<const Event*> Store::EventsAfter(std::string_view storage_id, uint64_t after_rv) const {
  std::vector<const Event*> out;
  auto it = window_.end();
  while (it != window_.begin() && std::prev(it)->rv > after_rv) --it;
  for (; it != window_.end(); ++it) {
    if (it->storage_id == storage_id) out.push_back(&*it);
  }
  return out;
}

void Store::Restore(std::string_view storage_id, std::string_view key, ObjectPtr object) {
  IndexOwners(std::string(storage_id), std::string(key), nullptr, object);
  collections_[std::string(storage_id)][std::string(key)] = std::move(object);
}

void Store::Subscribe(std::string_view storage_id, EventListener* listener) {
  listeners_[std::string(storage_id)].insert(listener);
}

void Store::Unsubscribe(std::string_view storage_id, EventListener* listener) {
  auto it = listeners_.find(std::string(storage_id));
  if (it != listeners_.end()) it->second.erase(listener);
}

std::vector<std::string> Store::StorageIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, c] : collections_) {
    if (!c.empty()) ids.push_back(id);
  }
  return ids;
}

size_t Store::Count(std::string_view storage_id) const {
  auto c = collections_.find(std::string(storage_id));
  return c == collections_.end() ? 0 : c->second.size();
}

}  // namespace sandbox
