#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace mm {

// Returns where `actual` first differs from `expected`, as "<path>: expected <json>, got <json>"
// (paths like `.spec.template.spec.containers[0].env[3].value`; `<absent>` for a missing
// member), or std::nullopt when they are equal. Object member order is ignored; array order is
// not.
std::optional<std::string> FirstDifference(const rapidjson::Value& expected,
                                           const rapidjson::Value& actual);

// Like FirstDifference, but only the fields present in `desired` are compared (recursively:
// members of objects; arrays must have the same length, elements compared the same way). This
// is how the operator's objects are compared to live ones: fields the server or others added
// are ignored. Returns std::nullopt when `live` already has everything `desired` sets.
std::optional<std::string> FirstMissingOrDifferent(const rapidjson::Value& desired,
                                                   const rapidjson::Value& live);

}  // namespace mm
