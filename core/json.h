#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mm {

// JSON values throughout the project are RapidJSON documents/values (UTF-8, insertion-ordered
// members, exact int/string distinction). These helpers are the only place that parses or prints
// them, so formatting stays identical everywhere.

// The deepest nesting of arrays/objects ParseJson and ParseYamlDocuments accept. Real Kubernetes
// objects stay far below it; deeper input is refused rather than risking stack exhaustion in the
// recursive code that walks parsed values.
inline constexpr int kMaxJsonDepth = 1000;

// Returns the offset of the bracket at which `[`/`{` nesting first exceeds `max_depth`, or npos.
// With `skip_json_strings`, brackets inside JSON strings are not counted; without it every bracket
// counts (for YAML flow collections, where over-counting only matters past the limit).
size_t FindExcessiveNesting(std::string_view text, int max_depth, bool skip_json_strings);

// Parses `text` as one JSON value. Fails with kInvalid naming the byte offset and the problem;
// `what` names the input in the message (e.g. "server response", a file name). Input nested deeper
// than kMaxJsonDepth is refused.
Result<rapidjson::Document> ParseJson(std::string_view text, std::string_view what = "JSON");

// ParseJson without copying: the reader unescapes the strings of `text` where they are, and the
// document's strings point into `text`. The caller keeps `text` alive and unchanged (not even
// moved: a short string's characters move with it) as long as the document, and must not read
// `text` as JSON again. Accepts and refuses what ParseJson does, with the same messages. For big
// answers read once, such as lists of thousands of objects.
Result<rapidjson::Document> ParseJsonInPlace(std::string& text, std::string_view what = "JSON");

enum class JsonStyle {
  kCompact,  // no whitespace: request bodies
  kPretty,   // 4-space indent, like `kubectl get -o json`
};

// Serializes `value`; never fails (RapidJSON values are always serializable).
std::string ToJson(const rapidjson::Value& value, JsonStyle style = JsonStyle::kCompact);

namespace json_internal {
template <typename Word>
bool SameWord(const char* a, const char* b) {
  Word x;
  Word y;
  std::memcpy(&x, a, sizeof x);  // an unaligned load, without breaking aliasing rules
  std::memcpy(&y, b, sizeof y);
  return x == y;
}
}  // namespace json_internal

// Returns whether the `size` bytes at `a` and at `b` are the same. Inline, and without a call to
// memcmp for the short texts JSON keys and values mostly are (the call and its dispatch cost more
// than the comparison): 8-byte words, the last one overlapping the one before; under 8 bytes, two
// overlapping 4-byte words, or the first, middle and last byte.
inline bool SameBytes(const char* a, const char* b, size_t size) {
  using json_internal::SameWord;
  if (size > 64) return std::memcmp(a, b, size) == 0;
  if (size >= 8) {
    for (size_t i = 0; i + 8 < size; i += 8) {
      if (!SameWord<uint64_t>(a + i, b + i)) return false;
    }
    return SameWord<uint64_t>(a + size - 8, b + size - 8);
  }
  if (size >= 4) {
    return SameWord<uint32_t>(a, b) && SameWord<uint32_t>(a + size - 4, b + size - 4);
  }
  return size == 0 || (a[0] == b[0] && a[size / 2] == b[size / 2] && a[size - 1] == b[size - 1]);
}

// Returns the characters of the string value `string`, owned by it.
inline std::string_view TextOf(const rapidjson::Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

// Returns whether the string value `string` holds exactly `text`. Member names mostly differ in
// length or first byte, which are compared before the bytes.
inline bool SameText(const rapidjson::Value& string, std::string_view text) {
  return string.GetStringLength() == text.size() &&
         (text.empty() || (string.GetString()[0] == text[0] &&
                           SameBytes(string.GetString(), text.data(), text.size())));
}

// Returns the member `name` of `object`, or nullptr when `object` is not an object or has no
// such member. The pointer is owned by `object`.
const rapidjson::Value* FindMember(const rapidjson::Value& object, std::string_view name);

namespace json_internal {
// FindMemberNear's search of every member, from `hint` on, wrapping around.
const rapidjson::Value* FindMemberFrom(const rapidjson::Value& object, std::string_view name,
                                       rapidjson::SizeType& hint);
}  // namespace json_internal

// Returns the member `name` of `object` as FindMember does, looking first at the member at index
// `hint`, then at the ones after it, then at those before: objects compared or read in the order
// they were written find each member at the first try (inline: no call). `hint` becomes the index
// after the member found (unchanged when none is). With a duplicated name, the first one from
// `hint` on (wrapping around) is returned. The pointer is owned by `object`.
inline const rapidjson::Value* FindMemberNear(const rapidjson::Value& object, std::string_view name,
                                              rapidjson::SizeType& hint) {
  if (object.IsObject() && hint < object.MemberCount()) {
    const rapidjson::Value::Member& member = object.MemberBegin()[hint];
    if (SameText(member.name, name)) {
      ++hint;
      return &member.value;
    }
  }
  return json_internal::FindMemberFrom(object, name, hint);
}

// Returns the value reached from `object` through the members `path`, or nullptr when a step is
// missing or not an object. The pointer is owned by `object`.
const rapidjson::Value* FindPath(const rapidjson::Value& object,
                                 std::initializer_list<std::string_view> path);

// Returns the integer at `path`, or `fallback` when absent or not an integer.
int64_t GetInt64At(const rapidjson::Value& object, std::initializer_list<std::string_view> path,
                   int64_t fallback = 0);

// Returns the string member `name` without copying it (owned by `object`), or `fallback` when
// absent or not a string.
std::string_view GetStringView(const rapidjson::Value& object, std::string_view name,
                               std::string_view fallback = "");

// Returns the string member `name`, or `fallback` when absent or not a string.
std::string GetString(const rapidjson::Value& object, std::string_view name,
                      std::string_view fallback = "");

}  // namespace mm
