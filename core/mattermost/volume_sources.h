#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace mm {

// Returns the operator's error for `volume` when its source is not one of ConfigMap, Secret,
// EmptyDir, PersistentVolumeClaim, Projected, DownwardAPI, CSI; std::nullopt when allowed.
std::optional<std::string> UnsupportedVolumeSource(const rapidjson::Value& volume);

// Returns the error for the first unsupported volume of `volumes` (spec.volumes, may be nullptr).
std::optional<std::string> FirstUnsupportedVolumeSource(const rapidjson::Value* volumes);

}  // namespace mm
