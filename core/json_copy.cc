#include "core/json_copy.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace mm {

SaxStack::~SaxStack() { std::free(heap_); }

void* SaxStack::Realloc(void* original, size_t old_size, size_t new_size) {
  if (original == nullptr || original == inline_) {
    if (new_size <= kInlineBytes) return inline_;
    void* grown = std::realloc(heap_, new_size);
    if (grown == nullptr) throw std::bad_alloc();
    if (original != nullptr) std::memcpy(grown, inline_, old_size);
    heap_ = grown;
    return heap_;
  }
  void* grown = std::realloc(heap_, new_size);
  if (grown == nullptr) throw std::bad_alloc();
  heap_ = grown;
  return heap_;
}

rapidjson::Value CopyValue(const rapidjson::Value& value,
                           rapidjson::Document::AllocatorType& allocator) {
  if (!value.IsObject() && !value.IsArray()) return rapidjson::Value(value, allocator);
  return BuildWithSax(allocator, [&value](SaxDocument& out) { return value.Accept(out); });
}

void CopyInto(rapidjson::Document& document, const rapidjson::Value& value) {
  rapidjson::Value copy = CopyValue(value, document.GetAllocator());
  static_cast<rapidjson::Value&>(document).Swap(copy);
}

}  // namespace mm
