#pragma once

#include <rapidjson/document.h>

#include <span>
#include <string>

#include "core/json_edit.h"

namespace mm {

// The operator compares and records objects after banzaicloud k8s-objectmatcher (v1.8.0) has
// "deleted nulls" from their JSON: an object member is dropped when it is null, the empty
// string, or an object that becomes empty once its own members are dropped (an object that was
// empty to begin with is kept, as are false, 0 and empty arrays). Array elements are never
// dropped (null and "" stay), but objects inside arrays are cleaned the same way.

// Whether the object `object` survives that cleaning: empty, or with a member that does.
bool GoKeepsObject(const rapidjson::Value& object);

// Returns whether the object member value `value` survives that cleaning. Inline for the values
// that are not objects (most of them, and the comparisons ask for every member).
inline bool GoKeepsMember(const rapidjson::Value& value) {
  if (value.IsObject()) return GoKeepsObject(value);
  return !value.IsNull() && !(value.IsString() && value.GetStringLength() == 0);
}

// Returns whether `value` holds nothing but (nested) empty objects, e.g. `{}` or
// `{"loadBalancer": {}}`: what Go writes for an unset struct.
bool IsEmptyStructs(const rapidjson::Value& value);

// Returns `value` cleaned as above and serialized the way Go's encoding/json (as json-iterator's
// ConfigCompatibleWithStandardLibrary) writes a map[string]interface{}: object keys sorted
// bytewise, no whitespace, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u003c, \u003e, \u0026,
// \u2028, \u2029, control characters as \n, \r, \t or \u00XX, invalid UTF-8 as \ufffd, integers
// in plain decimal. This is the exact document the operator stores in its last-applied
// annotation.
std::string GoCanonicalJson(const rapidjson::Value& value);

// GoCanonicalJson of `value` with `edits` applied (json_edit.h), without copying it: the same text
// as ApplyJsonEdits on a copy followed by GoCanonicalJson. Strings `edits` set are referenced.
std::string GoCanonicalJson(const rapidjson::Value& value, std::span<const JsonEdit> edits);

}  // namespace mm
