#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>

namespace sandbox {

// Small helpers over RapidJSON used by the sandbox API logic. Parsing and printing go through
// mm_core (core/json.h); these only read and edit values in place.

using Json = rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;
// Stored objects are immutable once committed; writers build a new document and swap it in.
using ObjectPtr = std::shared_ptr<const rapidjson::Document>;

inline rapidjson::Value::StringRefType Ref(std::string_view s) {
  return {s.data(), static_cast<rapidjson::SizeType>(s.size())};
}

// Returns the member `name` of `object`, or nullptr (not an object, or absent). Owned by `object`.
const Json* Member(const Json& object, std::string_view name);
Json* MutableMember(Json& object, std::string_view name);
// Follows `a.b.c` through nested objects; nullptr when any step is missing.
const Json* AtPath(const Json& object, std::string_view dotted_path);

// The string at `name`, or "" when absent or not a string.
std::string Str(const Json& object, std::string_view name);
std::string_view StrView(const Json& value);

// Sets object[name] = value (copying `value` with `alloc`), replacing an existing member. Turns a
// non-object `object` into an empty object first.
void Set(Json& object, std::string_view name, const Json& value, Alloc& alloc);
void SetString(Json& object, std::string_view name, std::string_view value, Alloc& alloc);
void SetInt(Json& object, std::string_view name, int64_t value, Alloc& alloc);
// Returns object[name], creating an empty object member when absent or not an object.
Json& Child(Json& object, std::string_view name, Alloc& alloc);
void Remove(Json& object, std::string_view name);

// A fresh document holding a deep copy of `value`.
rapidjson::Document Clone(const Json& value);
ObjectPtr Freeze(rapidjson::Document doc);

// The namespace-less "name" or "ns/name" key objects are stored under.
std::string ObjectKey(std::string_view ns, std::string_view name);

// Compact JSON text of `value` (mm::ToJson, kept here so callers include one header).
std::string Dump(const Json& value);

}  // namespace sandbox

namespace sandbox {

// True when JSON/YAML flow text nests brackets at most `limit` deep (strings skipped). Bodies are
// checked before parsing, as kube-apiserver's decoder limits depth to 10000, so a hostile body
// cannot exhaust the stack of a recursive parser.
bool NestingWithin(std::string_view text, int limit);

// Standard base64 (with padding) for continue tokens and kubeconfig data fields.
std::string Base64Encode(std::string_view data);
// Decodes standard or URL-safe base64; false on invalid input.
bool Base64Decode(std::string_view text, std::string& out);

}  // namespace sandbox
