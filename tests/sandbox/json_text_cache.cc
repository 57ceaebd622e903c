#include "tests/sandbox/json_text_cache.h"

#include <algorithm>

namespace sandbox {
namespace {

// Whether `weak` still refers to the very object `object` owns (same control block, alive).
bool SameLiveObject(const std::weak_ptr<const rapidjson::Document>& weak, const ObjectPtr& object) {
  return !weak.expired() && !weak.owner_before(object) && !object.owner_before(weak);
}

}  // namespace

const std::string& JsonTextCache::Text(const ObjectPtr& object) {
  auto found = entries_.find(object.get());
  if (found != entries_.end() && SameLiveObject(found->second.object, object)) {
    return found->second.text;
  }
  SweepIfGrown();
  ++serialized_;
  Entry& entry = entries_[object.get()];
  entry.object = object;
  entry.text = Dump(*object);
  return entry.text;
}

void JsonTextCache::SweepIfGrown() {
  if (entries_.size() < sweep_at_) return;
  std::erase_if(entries_, [](const auto& item) { return item.second.object.expired(); });
  sweep_at_ = std::max<size_t>(1024, 2 * entries_.size());
}

}  // namespace sandbox
