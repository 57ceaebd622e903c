#include "core/json_copy.h"

#include <cstdint>
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

namespace {

// Forwards SAX events to `out`, with every string passed by reference instead of copied.
struct StringsByReference {
  SaxDocument& out;
  bool Null() { return out.Null(); }
  bool Bool(bool value) { return out.Bool(value); }
  bool Int(int value) { return out.Int(value); }
  bool Uint(unsigned value) { return out.Uint(value); }
  bool Int64(int64_t value) { return out.Int64(value); }
  bool Uint64(uint64_t value) { return out.Uint64(value); }
  bool Double(double value) { return out.Double(value); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    return out.RawNumber(text, length, false);
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return out.String(text, length, false);
  }
  bool StartObject() { return out.StartObject(); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    return out.Key(text, length, false);
  }
  bool EndObject(rapidjson::SizeType count) { return out.EndObject(count); }
  bool StartArray() { return out.StartArray(); }
  bool EndArray(rapidjson::SizeType count) { return out.EndArray(count); }
};

}  // namespace

void CopyStructureInto(rapidjson::Document& document, const rapidjson::Value& value) {
  rapidjson::Value copy = BuildWithSax(document.GetAllocator(), [&value](SaxDocument& out) {
    StringsByReference forward{out};
    return value.Accept(forward);
  });
  static_cast<rapidjson::Value&>(document).Swap(copy);
}

}  // namespace mm
