#pragma once

#include <rapidjson/document.h>

#include <string>

namespace mm::manifests {

inline constexpr char kOperatorVersion[] = "1.25.9";
inline constexpr char kOperatorNamespace[] = "mattermost-operator";

// Every object of the operator's installation manifest, in apply order, as a JSON array
// (operator.md §9.1 plus the Namespace, with the image pinned to v<kOperatorVersion>).
rapidjson::Document OperatorObjects();

}  // namespace mm::manifests
