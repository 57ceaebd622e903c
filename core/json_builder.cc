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

// A copy of `text` in `arena`, or on the heap (owned by `owner`) without one.
std::string_view CopyText(std::string_view text, JsonArena* arena,
                          std::shared_ptr<const void>& owner) {
  if (arena != nullptr) return arena->Copy(text);
  // Never a null pointer, even for no text: rapidjson asserts that a string's pointer is not null.
  if (text.empty()) return "";
  auto copy = std::make_shared_for_overwrite<char[]>(text.size());
  std::memcpy(copy.get(), text.data(), text.size());
  owner = copy;
  return {copy.get(), text.size()};
}

// Where a child moved into a container of `arena` (or of the heap, when null) puts what it
// owns: the arena keeps it (its values own nothing), a heap container's child keeps it.
void HandOver(std::shared_ptr<const void>& to, std::shared_ptr<const void>& from,
              JsonArena* arena) {
  if (from == nullptr) return;
  if (arena != nullptr) {
    arena->Keep(std::move(from));
  } else {
    to = std::move(from);
  }
}

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
  auto aligned = [alignment](char* at) {  // alignment is a power of two
    auto address = reinterpret_cast<uintptr_t>(at);
    return at + ((alignment - (address & (alignment - 1))) & (alignment - 1));
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
  if (!text.empty()) std::memcpy(copy, text.data(), text.size());  // a null view's data is null
  return {copy, text.size()};
}

void JsonArena::Keep(std::shared_ptr<const void> owner) { kept_.push_back(std::move(owner)); }

JsonKey::JsonKey(std::string_view text) {
  view_ = CopyText(text, JsonArena::Current(), owner_);  // not an initializer: owner_ comes after
}

Json::Json(std::string_view value) {
  std::string_view copy = CopyText(value, JsonArena::Current(), owner_);
  data_ = Text{copy.data(), copy.size()};
}

Json::Json(std::string&& value) {
  if (JsonArena::Current() != nullptr) {
    *this = Json(std::string_view(value));
    return;
  }
  auto moved = std::make_shared<const std::string>(std::move(value));
  data_ = Text{moved->data(), moved->size()};
  owner_ = std::move(moved);
}

std::string_view Json::text() const {
  if (const Text* text = std::get_if<Text>(&data_)) return {text->text, text->size};
  if (const Literal* text = std::get_if<Literal>(&data_)) return {text->text, text->size};
  return {};
}

// In an arena, the children are constructed in place and never destroyed: they own nothing
// (HandOver), and the arena releases their memory at once.
template <typename T>
Json::Span<T> Json::NewSpan(size_t size, std::shared_ptr<const void>& owner) {
  if (JsonArena* arena = JsonArena::Current()) {
    T* items = static_cast<T*>(arena->Allocate(size * sizeof(T), alignof(T)));
    std::uninitialized_default_construct_n(items, size);
    return {items, size};
  }
  std::shared_ptr<T[]> items = std::make_shared<T[]>(size);
  owner = items;
  return {items.get(), size};
}

Json Json::WithMembers(size_t size) {
  Json json;
  json.data_ = NewSpan<Member>(size, json.owner_);
  return json;
}

void Json::MoveInto(Member& to, const Member& from, JsonArena* arena) {
  to.first.view_ = from.first.view_;
  to.first.literal_ = from.first.literal_;
  HandOver(to.first.owner_, from.first.owner_, arena);
  MoveInto(to.second, from.second, arena);
}

void Json::MoveInto(Json& to, const Json& from, JsonArena* arena) {
  to.data_ = from.data_;
  HandOver(to.owner_, from.owner_, arena);
}

template <typename T, typename Source>
Json Json::Take(Source& source) {
  JsonArena* arena = JsonArena::Current();
  Json json;
  Span<T> span = NewSpan<T>(source.size(), json.owner_);
  json.data_ = span;
  T* out = span.items;
  for (const T& child : source) MoveInto(*out++, child, arena);
  return json;
}

Json Json::Object(std::initializer_list<Member> members) { return Take<Member>(members); }

Json Json::Object(std::vector<Member> members) { return Take<Member>(members); }

Json Json::Array(std::initializer_list<Json> items) { return Take<Json>(items); }

Json Json::Array(std::vector<Json> items) { return Take<Json>(items); }

Json Json::StringMap(const std::map<std::string, std::string>& map) {
  Json json = WithMembers(map.size());
  Member* out = json.members();
  for (const auto& [key, value] : map) *out++ = Member(key, Json(value));
  return json;
}

Json Json::StringPairs(std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  Json json = WithMembers(pairs.size());
  Member* out = json.members();
  for (const auto& [key, value] : pairs) *out++ = Member(key, Json(value));
  return json;
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
    bool operator()(const Text& text) const {
      return out.String(text.text, static_cast<rapidjson::SizeType>(text.size), true);
    }
    bool operator()(const Literal& text) const {  // static: referenced, not copied
      return out.String(text.text, static_cast<rapidjson::SizeType>(text.size), false);
    }
    bool operator()(const CopyOf& copy) const { return copy.value->Accept(out); }
    bool operator()(const Members& members) const {
      out.StartObject();
      rapidjson::SizeType count = 0;
      for (const auto& [key, value] : members) {
        if (value.omitted()) continue;
        std::string_view name = key.view();
        out.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), !key.literal_);
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
