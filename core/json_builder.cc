#include "core/json_builder.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace mm {
namespace {

thread_local JsonArena* current_arena = nullptr;

// Allocates from the arena current when the allocator was made (and then never frees), else
// from the heap.
template <typename T>
struct ArenaAllocator {
  using value_type = T;
  JsonArena* arena;

  ArenaAllocator() : arena(JsonArena::Current()) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) : arena(other.arena) {}  // NOLINT: rebinding
  T* allocate(size_t count) {
    if (arena == nullptr) return std::allocator<T>().allocate(count);
    return static_cast<T*>(arena->Allocate(count * sizeof(T), alignof(T)));
  }
  void deallocate(T* pointer, size_t count) {
    if (arena == nullptr) std::allocator<T>().deallocate(pointer, count);
  }
  template <typename U>
  bool operator==(const ArenaAllocator<U>& other) const {
    return arena == other.arena;
  }
};

}  // namespace

struct JsonArena::Block {
  static constexpr size_t kSize = 32 << 10;
  Block* next;
  alignas(std::max_align_t) char bytes[1];  // and on to the end of the allocation
};

JsonArena::JsonArena() : previous_(current_arena) { current_arena = this; }

JsonArena::~JsonArena() {
  current_arena = previous_;
  while (blocks_ != nullptr) {
    Block* next = blocks_->next;
    std::free(blocks_);
    blocks_ = next;
  }
}

JsonArena* JsonArena::Current() { return current_arena; }

void* JsonArena::Allocate(size_t size, size_t alignment) {
  auto aligned = [alignment](char* at) {
    auto address = reinterpret_cast<uintptr_t>(at);
    return at + ((alignment - address % alignment) % alignment);
  };
  char* start = next_ ? aligned(next_) : nullptr;
  if (start == nullptr || static_cast<size_t>(end_ - start) < size) {
    size_t bytes = std::max(Block::kSize, offsetof(Block, bytes) + size);
    auto* block = static_cast<Block*>(std::malloc(bytes));
    if (block == nullptr) throw std::bad_alloc();
    block->next = blocks_;
    blocks_ = block;
    start = block->bytes;  // aligned for any type
    end_ = reinterpret_cast<char*>(block) + bytes;
  }
  next_ = start + size;
  return start;
}

std::string_view JsonArena::Copy(std::string_view text) {
  char* copy = static_cast<char*>(Allocate(text.size(), 1));
  std::memcpy(copy, text.data(), text.size());
  return {copy, text.size()};
}

JsonKey::JsonKey(std::string_view text) {
  if (JsonArena* arena = JsonArena::Current()) {
    view_ = arena->Copy(text);
  } else {
    owned_ = text;
    view_ = owned_;
  }
}

Json::Json(std::string_view value) {
  if (JsonArena* arena = JsonArena::Current()) {
    std::string_view copy = arena->Copy(value);
    data_ = Text{copy.data(), copy.size()};
  } else {
    data_ = std::string(value);
  }
}

Json::Json(std::string&& value) {
  if (JsonArena::Current() != nullptr) {
    *this = Json(std::string_view(value));
  } else {
    data_ = std::move(value);
  }
}

Json::Members Json::NewMembers(size_t size) {
  return {std::allocate_shared_for_overwrite<Member[]>(ArenaAllocator<Member>(), size), size};
}

Json::Items Json::NewItems(size_t size) {
  return {std::allocate_shared_for_overwrite<Json[]>(ArenaAllocator<Json>(), size), size};
}

Json Json::Object(std::initializer_list<Member> members) {
  Members shared = NewMembers(members.size());
  Member* out = shared.items.get();
  for (const Member& member : members) {
    out->first.TakeFrom(member.first);
    out->second.TakeFrom(member.second);
    ++out;
  }
  return Json(std::move(shared));
}

Json Json::Object(std::vector<Member> members) {
  Members shared = NewMembers(members.size());
  std::move(members.begin(), members.end(), shared.items.get());
  return Json(std::move(shared));
}

Json Json::Array(std::initializer_list<Json> items) {
  Items shared = NewItems(items.size());
  Json* out = shared.items.get();
  for (const Json& item : items) (out++)->TakeFrom(item);
  return Json(std::move(shared));
}

Json Json::Array(std::vector<Json> items) {
  Items shared = NewItems(items.size());
  std::move(items.begin(), items.end(), shared.items.get());
  return Json(std::move(shared));
}

Json Json::StringMap(const std::map<std::string, std::string>& map) {
  Members shared = NewMembers(map.size());
  Member* out = shared.items.get();
  for (const auto& [key, value] : map) *out++ = Member(key, Json(value));
  return Json(std::move(shared));
}

Json Json::StringPairs(std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  Members shared = NewMembers(pairs.size());
  Member* out = shared.items.get();
  for (const auto& [key, value] : pairs) *out++ = Member(key, Json(value));
  return Json(std::move(shared));
}

Json Json::Copy(const rapidjson::Value* value) {
  if (value == nullptr) return Omit();
  Json json;
  json.data_ = CopyOf{value};
  return json;
}

Json Json::Omit() {
  Json json;
  json.data_ = OmitTag{};
  return json;
}

// Values are emitted as SAX events into a document (as rapidjson's own deep copy does), which
// allocates every object's members and every array's items once, at their final size.
bool Json::Emit(SaxDocument& out) const {
  struct Visitor {
    SaxDocument& out;
    bool operator()(std::nullptr_t) const { return out.Null(); }
    bool operator()(bool value) const { return out.Bool(value); }
    bool operator()(int64_t value) const { return out.Int64(value); }
    bool operator()(const std::string& value) const {
      return out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()), true);
    }
    bool operator()(const Text& text) const {
      return out.String(text.text, static_cast<rapidjson::SizeType>(text.size), true);
    }
    bool operator()(const CopyOf& copy) const { return copy.value->Accept(out); }
    bool operator()(const Members& members) const {
      out.StartObject();
      rapidjson::SizeType count = 0;
      for (const auto& [key, value] : members) {
        if (value.omitted()) continue;
        std::string_view name = key.view();
        out.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
        value.Emit(out);
        ++count;
      }
      return out.EndObject(count);
    }
    bool operator()(const Items& items) const {
      out.StartArray();
      rapidjson::SizeType count = 0;
      for (const Json& item : items) {
        if (item.omitted()) continue;
        item.Emit(out);
        ++count;
      }
      return out.EndArray(count);
    }
    bool operator()(OmitTag) const { return out.Null(); }
  };
  return std::visit(Visitor{out}, data_);
}

rapidjson::Value Json::Build(rapidjson::Document::AllocatorType& allocator) const {
  return BuildWithSax(allocator, [this](SaxDocument& out) { return Emit(out); });
}

rapidjson::Document Json::BuildDocument() const {
  rapidjson::Document document;
  rapidjson::Value value = Build(document.GetAllocator());
  static_cast<rapidjson::Value&>(document).Swap(value);
  return document;
}

rapidjson::Value JsonString(std::string_view text, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

void SetMember(rapidjson::Value& object, std::string_view key, rapidjson::Value value,
               rapidjson::Document::AllocatorType& allocator) {
  auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (it != object.MemberEnd()) {
    it->value = std::move(value);
    return;
  }
  object.AddMember(JsonString(key, allocator), std::move(value), allocator);
}

rapidjson::Value& EnsureObject(rapidjson::Value& object, std::string_view key,
                               rapidjson::Document::AllocatorType& allocator) {
  auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (it == object.MemberEnd()) {
    object.AddMember(JsonString(key, allocator), rapidjson::Value(rapidjson::kObjectType),
                     allocator);
    return (object.MemberEnd() - 1)->value;
  }
  if (!it->value.IsObject()) it->value.SetObject();
  return it->value;
}

}  // namespace mm
