#include "core/mattermost/volume_sources.h"

#include "core/json.h"

namespace mm {

std::optional<std::string> UnsupportedVolumeSource(const rapidjson::Value& volume) {
  static const char* kAllowed[] = {"configMap", "secret",      "emptyDir", "persistentVolumeClaim",
                                   "projected", "downwardAPI", "csi"};
  for (const char* source : kAllowed) {
    const rapidjson::Value* value = FindMember(volume, source);
    if (value != nullptr && !value->IsNull()) return std::nullopt;
  }
  return "volume \"" + GetString(volume, "name") +
         "\" uses an unsupported volume source; allowed types: ConfigMap, Secret, EmptyDir, "
         "PersistentVolumeClaim, Projected, DownwardAPI, CSI";
}

std::optional<std::string> FirstUnsupportedVolumeSource(const rapidjson::Value* volumes) {
  if (volumes == nullptr || !volumes->IsArray()) return std::nullopt;
  for (const rapidjson::Value& volume : volumes->GetArray()) {
    if (auto problem = UnsupportedVolumeSource(volume)) return problem;
  }
  return std::nullopt;
}

}  // namespace mm
