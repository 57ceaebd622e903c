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
// A Json owns copies of its strings but literals, which it references; Copy() refers to an
// existing rapidjson value, which must outlive the Json (it is deep-copied only by Build). Object
// members keep their insertion order; an Omit() value leaves its member (or array element) out,
// which keeps optional fields inline.
class Json;

// While a JsonArena lives, the Json values and keys made on its thread take their objects, arrays
// and copied text from it and give nothing back one by one: it releases everything at once when it
// ends. So every Json made in its scope must be gone by then: a builder makes one, builds its
// trees and materializes them (Json::Build, BuildDocument) before it returns. Arenas nest; without
// one, Json values use the heap.
//
// Values made in an arena own nothing (their text and children are in the arena), so copying,
// moving and destroying them costs a few words and no reference count; a heap value nested in an
// arena value hands what it owns over to the arena (Keep), which releases it at its end.
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
  // Keeps `owner` alive until the arena ends.
  void Keep(std::shared_ptr<const void> owner);

 private:
  struct Block;
  JsonArena* previous_;
  Block* blocks_ = nullptr;  // the newest first
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::vector<std::shared_ptr<const void>> kept_;
};

// An object member's name: string literals are referenced (they live forever), anything else is
// copied (into the current JsonArena, if any), so a Json never dangles on a temporary string.
//
// "Literal" means a char array with static storage (a string literal or a namespace-scope
// constexpr array): the constructor is consteval, so a local or mutable array does not compile
// as one. The documents built from a Json refer to its literals instead of copying them.
class JsonKey {
 public:
  JsonKey() = default;
  template <size_t N>
  consteval JsonKey(const char (&literal)[N])  // NOLINT: implicit on purpose
      : view_(literal, N - 1), literal_(true) {}
  JsonKey(std::string_view text);                                        // NOLINT
  JsonKey(const std::string& text) : JsonKey(std::string_view(text)) {}  // NOLINT
  std::string_view view() const { return view_; }

 private:
  friend class Json;

  std::string_view view_;
  bool literal_ = false;
  // The heap copy view_ refers to (no arena), else null. Mutable so that Json::Object can move
  // members out of its initializer list (whose elements are const temporaries that die with the
  // list) instead of copying them.
  mutable std::shared_ptr<const void> owner_;
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
  // A string literal (as JsonKey's) is referenced, here and in the documents built from the
  // value; other text is copied (into the current JsonArena, if any).
  template <size_t N>
  consteval Json(const char (&literal)[N]) : data_(Literal{literal, N - 1}) {}  // NOLINT
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
  // A string value's text (valid while the value, or a copy of it, lives); empty for any other
  // value.
  std::string_view text() const;

  // Materializes the value with `allocator`, which owns every child and string but the literals
  // (static: referenced, as rapidjson's StringRef).
  rapidjson::Value Build(rapidjson::Document::AllocatorType& allocator) const;
  // Materializes the value as a new document (its own allocator; literals referenced).
  rapidjson::Document BuildDocument() const;

 private:
  // Sends the value to `out` as SAX events; returns true.
  bool Emit(SaxDocument& out) const;

  struct OmitTag {};
  struct CopyOf {
    const rapidjson::Value* value;
  };
  struct Text {  // a copy in a JsonArena, or heap text owned by owner_
    const char* text;
    size_t size;
  };
  struct Literal {  // text with static storage
    const char* text;
    size_t size;
  };
  // The members of an object or the items of an array, in one allocation (from the current
  // JsonArena, else owned by owner_). Children are immutable once built: copying a Json costs
  // at most a reference count, never a deep copy.
  template <typename T>
  struct Span {
    T* items;
    size_t size;
    const T* begin() const { return items; }
    const T* end() const { return items + size; }
  };
  using Members = Span<Member>;
  using Items = Span<Json>;
  // Room for `size` children (default-constructed), in the current arena or owned by `owner`.
  template <typename T>
  static Span<T> NewSpan(size_t size, std::shared_ptr<const void>& owner);
  // An object of `size` default members, to fill in order.
  static Json WithMembers(size_t size);
  Member* members() const { return std::get<Members>(data_).items; }
  // A container of `source`'s children (of type T), moved out of it (a list's, whose elements
  // are const, or a vector's).
  template <typename T, typename Source>
  static Json Take(Source& source);
  // Moves `from` (which may be const) into the child `to` of a container made in `arena` (null:
  // on the heap).
  static void MoveInto(Member& to, const Member& from, JsonArena* arena);
  static void MoveInto(Json& to, const Json& from, JsonArena* arena);

  // Every alternative is a few trivially copyable words: copies and moves are plain copies.
  std::variant<std::nullptr_t, bool, int64_t, Text, Literal, CopyOf, Members, Items, OmitTag>
      data_ = nullptr;
  // What data_ refers to when the value was made without an arena (a string copy or the
  // children), else null. Mutable so that Object and Array can move children out of their
  // initializer list (whose elements are const temporaries that die with the list) instead of
  // copying them.
  mutable std::shared_ptr<const void> owner_;
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
