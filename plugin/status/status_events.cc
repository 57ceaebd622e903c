#include "plugin/status/status_events.h"

#include <algorithm>

#include "core/json.h"
#include "core/mattermost/update_job.h"

namespace mm {
namespace {

// Whether an event about `object` (a kind and a name) concerns the installation `name`.
bool AboutInstallation(const std::string& kind, const std::string& object, const std::string& name,
                       const std::set<std::string>& pods) {
  if (object == name || object == kUpdateJobName) return true;
  if (kind == "Pod") {
    return pods.contains(object) || object.rfind(std::string(kUpdateJobName) + "-", 0) == 0;
  }
  if (kind != "ReplicaSet" || object.size() <= name.size() + 1 ||
      object.rfind(name + "-", 0) != 0) {
    return false;
  }
  return object.find('-', name.size() + 1) == std::string::npos;  // name-<pod-template-hash>
}

// RFC 3339 times of one form compare as strings.
std::string When(const rapidjson::Value& event) {
  for (const char* key : {"lastTimestamp", "eventTime"}) {
    std::string time = GetString(event, key);
    if (!time.empty()) return time;
  }
  const rapidjson::Value* metadata = FindMember(event, "metadata");
  return metadata ? GetString(*metadata, "creationTimestamp") : "";
}

}  // namespace

std::vector<std::string> RecentWarnings(const rapidjson::Value& events, const std::string& name,
                                        const std::set<std::string>& pods, size_t limit) {
  const rapidjson::Value* items = FindMember(events, "items");
  std::vector<std::pair<std::string, std::string>> found;  // when, line
  if (items == nullptr || !items->IsArray()) return {};
  for (const rapidjson::Value& event : items->GetArray()) {
    const rapidjson::Value* involved = FindMember(event, "involvedObject");
    if (involved == nullptr || GetString(event, "type") != "Warning") continue;
    std::string kind = GetString(*involved, "kind");
    std::string object = GetString(*involved, "name");
    if (!AboutInstallation(kind, object, name, pods)) continue;
    std::string line = "  " + kind + "/" + object + ": " + GetString(event, "reason") + ": " +
                       GetString(event, "message");
    const rapidjson::Value* count = FindMember(event, "count");
    if (count != nullptr && count->IsInt() && count->GetInt() > 1) {
      line += " (x" + std::to_string(count->GetInt()) + ")";
    }
    found.emplace_back(When(event), std::move(line));
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (found.size() > limit) found.erase(found.begin(), found.end() - static_cast<long>(limit));
  std::vector<std::string> lines;
  for (auto& [when, line] : found) lines.push_back(std::move(line));
  return lines;
}

}  // namespace mm
