#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace mm {

// Decides, as the operator's objectmatcher does (a three-way strategic merge patch of the
// last-applied `original`, the `desired` object and the `live` one, then re-checked against
// `live`), whether `live` must be rewritten. All three are compared after Go's null cleaning
// (go_json.h): null and "" members count as absent. There is a difference when
//  - a member `desired` sets is absent from `live` or differs: objects compare member by member
//    (members only `live` has are ignored: server defaults, other writers); lists that Kubernetes
//    merges by key (containers, env, volumes, ports, volumeMounts, ownerReferences, ...) compare
//    element by element matched on that key, whatever their order; other lists must be equal;
//  - or a member `original` records was dropped from `desired` and is still in `live` (a removed
//    label, annotation or env var), except members holding only empty objects (Go's unset
//    structs).
// The top-level `status` is never compared: it is not ours to write. `original` may be null (no
// last-applied annotation). Returns where the first difference is, as
// "<path>: expected <json>, got <json>" (`<absent>` for a missing member), or std::nullopt.
std::optional<std::string> ThreeWayDifference(const rapidjson::Value* original,
                                              const rapidjson::Value& desired,
                                              const rapidjson::Value& live);

}  // namespace mm
