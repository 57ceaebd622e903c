#pragma once

#include <rapidjson/document.h>

#include <cstddef>

namespace mm {

// rapidjson 1.1.0 builds every object and array (parsing, Populate, and its own deep copy) on a
// stack of pending values that it mallocs, grows by realloc and frees on every build. SaxStack is
// that stack's allocator, with its first kInlineBytes inside the SaxStack itself (on the caller's
// stack), so building a Kubernetes object usually touches no heap but the value's own pool.
class SaxStack {
 public:
  static constexpr bool kNeedFree = true;
  static constexpr size_t kInlineBytes = 8 << 10;

  SaxStack() = default;
  SaxStack(const SaxStack&) = delete;
  SaxStack& operator=(const SaxStack&) = delete;
  ~SaxStack();

  void* Malloc(size_t size) { return Realloc(nullptr, 0, size); }
  // Grows the one block this allocator hands out, keeping its first `old_size` bytes.
  void* Realloc(void* original, size_t old_size, size_t new_size);
  // The block is released by the destructor: rapidjson calls Free statically, without the
  // allocator that knows whether the block is inline.
  static void Free(void*) {}

 private:
  alignas(std::max_align_t) char inline_[kInlineBytes];
  void* heap_ = nullptr;
};

// A rapidjson SAX handler that builds values into a given pool, on a SaxStack.
using SaxDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>, SaxStack>;

// Returns the value `generate(SaxDocument&)` sends as SAX events (it returns false on failure,
// then the value is null), allocated from `allocator`, which must outlive it.
template <typename Generate>
rapidjson::Value BuildWithSax(rapidjson::Document::AllocatorType& allocator, Generate&& generate) {
  SaxStack stack;
  SaxDocument built(&allocator, SaxStack::kInlineBytes, &stack);
  built.Populate(generate);
  rapidjson::Value value;
  value.Swap(built);
  return value;
}

// Returns a deep copy of `value` allocated from `allocator` (which must outlive it). Like
// rapidjson's own copy, strings `value` holds by reference (StringRef) stay references.
rapidjson::Value CopyValue(const rapidjson::Value& value,
                           rapidjson::Document::AllocatorType& allocator);

// Replaces the content of `document` with a deep copy of `value` in the document's allocator.
void CopyInto(rapidjson::Document& document, const rapidjson::Value& value);

// Like CopyInto, but the copy's strings (member names and values) refer to those of `value`,
// which must outlive it and stay unchanged: a copy to edit the structure of, not the strings.
void CopyStructureInto(rapidjson::Document& document, const rapidjson::Value& value);

}  // namespace mm
