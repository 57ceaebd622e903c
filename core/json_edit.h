#pragma once

#include <rapidjson/document.h>

#include <span>
#include <string_view>

namespace mm {

// A change to one member of a JSON object, described as data so that it can be either applied to
// a tree (ApplyJsonEdits) or applied on the fly while the object is serialized
// (GoCanonicalJson(value, edits), go_json.h) — the two give the same result, which
// tests/core/json_edit_test.cc checks. An object's edits name distinct members.
struct JsonEdit {
  enum class Action {
    kRemove,        // leave the member out
    kRemoveZero,    // leave it out when it is the number 0 or the string "0"
    kObject,        // make it an object (an empty one when absent or not an object), then edit it
    kInObject,      // edit it when it is an object, else leave it as it is
    kEachObject,    // edit every object item when it is an array
    kPruneEmptied,  // edit it when it is an object, then leave it out if no member is left
    kString,        // set it to the string `text` (which must outlive the edit's use)
    kZeroIfAbsent,  // add it as the number 0 when absent
  };
  std::string_view name;
  Action action;
  std::span<const JsonEdit> edits = {};  // the edits inside, for the editing actions
  std::string_view text = {};            // for kString
};

// Applies `edits` to the object `object` (nothing when it is not an object); new members and
// strings allocate from `allocator`. `text` values are copied.
void ApplyJsonEdits(rapidjson::Value& object, std::span<const JsonEdit> edits,
                    rapidjson::Document::AllocatorType& allocator);

// Returns the edit of `edits` named `name`, or null.
const JsonEdit* FindJsonEdit(std::span<const JsonEdit> edits, std::string_view name);

// Whether `value` is the number 0 or the string "0" (what kRemoveZero removes).
bool IsZeroIntOrString(const rapidjson::Value* value);

}  // namespace mm
