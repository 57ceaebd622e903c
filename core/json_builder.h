#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/json_copy.h"

namespace mm {

// A JSON value under construction, written as nested initializer lists so that builders read like
// the YAML they produce:
//
//   Json::Object({{"name", "app"}, {"ports", Json::Array({8065, 8067})}}).Build(allocator)
//
// A Json owns its strings (member names given as literals are referenced); Copy() refers to an
// existing rapidjson value, which must outlive the Json (it is deep-copied only by Build). Object
// members keep their insertion order; an Omit() value leaves its member (or array element) out,
// which keeps optional fields inline.
class Json;

// While a JsonArena lives, the Json values and keys made on its thread take their objects, arrays
// and copied text from it and give nothing back one by one: it releases everything at once when it
// ends. So every Json made in its scope must be gone by then: a builder makes one, builds its
// trees and materializes them (Json::Build, BuildDocument) before it returns. Arenas nest; without
// one, Json values use the heap.
class JsonArena {
 public:
  JsonArena();
  JsonArena(const JsonArena&) = delete;
  JsonArena& operator=(const JsonArena&) = delete;
  ~JsonArena();

  // Returns the thread's innermost arena, or null.
  static JsonArena* Current();
  // Returns `size` bytes aligned to `alignment` (at most alignof(std::max_align_t)), owned by the
  // arena.
  void* Allocate(size_t size, size_t alignment);
  // Returns a copy of `text` owned by the arena.
  std::string_view Copy(std::string_view text);

 private:
  struct Block;
  JsonArena* previous_;
  Block* blocks_ = nullptr;  // the newest first
  char* next_ = nullptr;
  char* end_ = nullptr;
};

// An object member's name: string literals are referenced (they live forever), anything else is
// copied (into the current JsonArena, if any), so a Json never dangles on a temporary string.
class JsonKey {
 public:
  JsonKey() = default;
  template <size_t N>
  JsonKey(const char (&literal)[N]) : view_(literal, N - 1) {}  // NOLINT: implicit on purpose
  JsonKey(std::string_view text);                               // NOLINT
  JsonKey(const std::string& text) : JsonKey(std::string_view(text)) {}  // NOLINT
  JsonKey(const JsonKey& other) { *this = other; }
  JsonKey(JsonKey&& other) noexcept { TakeFrom(other); }
  JsonKey& operator=(const JsonKey& other) {
    if (this != &other) {
      owned_ = other.owned_;
      Point(other);
    }
    return *this;
  }
  JsonKey& operator=(JsonKey&& other) noexcept {
    if (this != &other) TakeFrom(other);
    return *this;
  }
  // Takes the name out of `other` (which may be const: see Json::Object), leaving it empty.
  void TakeFrom(const JsonKey& other) {
    owned_ = std::move(other.owned_);
    Point(other);
    other.owned_.clear();
    other.view_ = {};
  }
  std::string_view view() const { return view_; }

 private:
  // view_ for owned_ just copied or moved from `other`: into owned_, or other's literal or arena
  // copy.
  void Point(const JsonKey& other) {
    view_ = other.view_.data() == other.owned_.data() || !owned_.empty() ? std::string_view(owned_)
                                                                         : other.view_;
  }

  // Mutable so that Json::Object can move members out of its initializer list (whose elements
  // are const temporaries that die with the list) instead of copying them.
  mutable std::string owned_;
  mutable std::string_view view_;
};

struct JsonMember;

class Json {
 public:
  using Member = JsonMember;

  Json() = default;                   // null
  Json(std::nullptr_t) {}             // NOLINT: implicit on purpose, like the literals below
  Json(bool value) : data_(value) {}  // NOLINT
  Json(int value) : data_(static_cast<int64_t>(value)) {}  // NOLINT
  Json(int64_t value) : data_(value) {}                    // NOLINT
  // A string literal is referenced, like a JsonKey's (it lives forever); other text is copied
  // (into the current JsonArena, if any).
  template <size_t N>
  Json(const char (&literal)[N]) : data_(Text{literal, N - 1}) {}  // NOLINT
  template <typename Pointer, typename = std::enable_if_t<std::is_same_v<Pointer, const char*> ||
                                                          std::is_same_v<Pointer, char*>>>
  Json(Pointer value) : Json(std::string_view(value)) {}             // NOLINT
  Json(std::string_view value);                                      // NOLINT
  Json(const std::string& value) : Json(std::string_view(value)) {}  // NOLINT
  Json(std::string&& value);                                         // NOLINT: moved when no arena

  // Object and Array move the values out of their initializer list (its elements are copies
  // that die with it), so nesting costs no copy of any string or child.
  static Json Object(std::initializer_list<Member> members);
  static Json Object(std::vector<Member> members);
  static Json Array(std::initializer_list<Json> items);
  static Json Array(std::vector<Json> items);
  // A string map as an object with sorted keys (how Go serializes map[string]string).
  static Json StringMap(const std::map<std::string, std::string>& map);
  // An object of string members, in the order given (names and values copied as by JsonKey and
  // Json(std::string_view)).
  static Json StringPairs(std::span<const std::pair<std::string_view, std::string_view>> pairs);
  // A reference to `value`, deep-copied by Build. Null `value` means Omit().
  static Json Copy(const rapidjson::Value* value);
  // A value that is left out of its enclosing object or array.
  static Json Omit();
  // `value` when `present`, else Omit().
  static Json If(bool present, Json value) { return present ? std::move(value) : Omit(); }

  bool omitted() const { return std::holds_alternative<OmitTag>(data_); }

  // Materializes the value with `allocator` (which owns every string and child).
  rapidjson::Value Build(rapidjson::Document::AllocatorType& allocator) const;
  // Materializes the value as a new document (its own allocator).
  rapidjson::Document BuildDocument() const;

 private:
  // Sends the value to `out` as SAX events; returns true.
  bool Emit(SaxDocument& out) const;
  // Moves the value out of `other`, which may be const (an initializer list's element).
  void TakeFrom(const Json& other) { data_ = std::move(other.data_); }

  struct OmitTag {};
  struct CopyOf {
    const rapidjson::Value* value;
  };
  struct Text {  // a literal or a copy in a JsonArena
    const char* text;
    size_t size;
  };
  // The members of an object or the items of an array, in one allocation (from the current
  // JsonArena, if any). Children are shared, immutable once built: copying a Json costs a
  // reference count, not a deep copy.
  template <typename T>
  struct Shared {
    std::shared_ptr<T[]> items;
    size_t size = 0;
    const T* begin() const { return items.get(); }
    const T* end() const { return items.get() + size; }
  };
  using Members = Shared<Member>;
  using Items = Shared<Json>;
  explicit Json(Members members) : data_(std::move(members)) {}
  explicit Json(Items items) : data_(std::move(items)) {}
  static Members NewMembers(size_t size);
  static Items NewItems(size_t size);

  // Mutable for TakeFrom: see Object.
  mutable std::variant<std::nullptr_t, bool, int64_t, std::string, Text, CopyOf, Members, Items,
                       OmitTag>
      data_ = nullptr;
};

// An object member: its name and value (a struct rather than std::pair, whose conditionally
// explicit default constructor clang 14 rejects for a type that refers to itself, as Json does).
struct JsonMember {
  JsonKey first;
  Json second;

  JsonMember() = default;
  JsonMember(JsonKey key, Json value) : first(std::move(key)), second(std::move(value)) {}
};

// Returns a rapidjson string value copied into `allocator`.
rapidjson::Value JsonString(std::string_view text, rapidjson::Document::AllocatorType& allocator);

// Sets `object[key] = value` (replacing an existing member in place, appending otherwise).
// `object` must be an object.
void SetMember(rapidjson::Value& object, std::string_view key, rapidjson::Value value,
               rapidjson::Document::AllocatorType& allocator);

// Returns `object[key]`, creating it as an empty object when absent or not an object.
rapidjson::Value& EnsureObject(rapidjson::Value& object, std::string_view key,
                               rapidjson::Document::AllocatorType& allocator);

}  // namespace mm
