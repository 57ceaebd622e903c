#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "tests/sandbox/json_util.h"

namespace sandbox {

// The compact JSON text of stored objects, computed once per object: stored objects are
// immutable, so a list of a thousand objects copies a thousand cached texts instead of
// serializing a thousand documents on every request (kube-apiserver also reuses the encoding of
// an object it serves many times). Entries are keyed by the object's address and validated by a
// weak reference, so an object freed and another allocated at the same address never share text.
// Single-threaded, like the store.
class JsonTextCache {
 public:
  // Returns Dump(*object), from the cache when `object` was seen before. The reference is valid
  // until the next call.
  const std::string& Text(const ObjectPtr& object);

  // Entries held, including those of freed objects not yet swept.
  size_t size() const { return entries_.size(); }
  // How many texts were serialized (cache misses) since construction.
  size_t serialized() const { return serialized_; }

 private:
  struct Entry {
    std::weak_ptr<const rapidjson::Document> object;
    std::string text;
  };
  // Drops the entries of freed objects once the map has doubled since the last sweep.
  void SweepIfGrown();

  std::unordered_map<const rapidjson::Document*, Entry> entries_;
  size_t sweep_at_ = 1024;
  size_t serialized_ = 0;
};

}  // namespace sandbox
