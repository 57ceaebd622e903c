#include "core/mattermost/sizes.h"

#include "core/json.h"

namespace mm {
namespace {

// The operator's table with quantities canonicalized (2000m -> 2, 4000m -> 4, 1000m -> 1).
const SizeRow kSizes[] = {
    {"100users", 1, {"100m", "256Mi"}, {"2", "4Gi"}, 1, {"100m", "256Mi"}, 1, {"200m", "512Mi"}},
    {"1000users", 2, {"150m", "256Mi"}, {"2", "4Gi"}, 4, {"150m", "512Mi"}, 2, {"250m", "512Mi"}},
    {"5000users", 2, {"500m", "500Mi"}, {"4", "8Gi"}, 4, {"200m", "500Mi"}, 3, {"500m", "500Mi"}},
    {"10000users", 2, {"500m", "500Mi"}, {"4", "8Gi"}, 4, {"200m", "500Mi"}, 3, {"500m", "500Mi"}},
    {"25000users", 2, {"1", "4Gi"}, {"4", "16Gi"}, 4, {"300m", "500Mi"}, 3, {"500m", "1Gi"}},
    {"cloud10users", 2, {"10m", "150Mi"}, {"2", "4Gi"}, 4, {"100m", "256Mi"}, 2, {"200m", "512Mi"}},
    {"cloud100users",
     2,
     {"50m", "256Mi"},
     {"2", "4Gi"},
     4,
     {"100m", "256Mi"},
     2,
     {"200m", "512Mi"}},
    {"miniSingleton",
     1,
     {"10m", "150Mi"},
     {"2", "4Gi"},
     1,
     {"100m", "256Mi"},
     1,
     {"200m", "512Mi"}},
    {"miniHA", 2, {"10m", "150Mi"}, {"2", "4Gi"}, 4, {"100m", "256Mi"}, 2, {"200m", "512Mi"}},
};

}  // namespace

const SizeRow* FindSize(std::string_view name) {
  for (const SizeRow& row : kSizes) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::string KnownSizeList() {
  std::string list;
  for (const SizeRow& row : kSizes) list += (list.empty() ? "" : ", ") + std::string(row.name);
  return list;
}

std::string UnknownSizeMessage(std::string_view name) {
  return "unknown size \"" + std::string(name) + "\"; known sizes: " + KnownSizeList();
}

namespace {

rapidjson::Value ResourceList(const ResourceAmounts& amounts,
                              rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value list(rapidjson::kObjectType);
  list.AddMember("cpu", JsonString(amounts.cpu, allocator), allocator);
  list.AddMember("memory", JsonString(amounts.memory, allocator), allocator);
  return list;
}

}  // namespace

rapidjson::Value SizeResources(const ResourceAmounts* limits, const ResourceAmounts& requests,
                               rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value resources(rapidjson::kObjectType);
  if (limits != nullptr) resources.AddMember("limits", ResourceList(*limits, allocator), allocator);
  resources.AddMember("requests", ResourceList(requests, allocator), allocator);
  return resources;
}

bool ResourceRequirementsEmpty(const rapidjson::Value& holder) {
  const rapidjson::Value* resources = FindMember(holder, "resources");
  if (resources == nullptr || !resources->IsObject()) return true;
  for (const char* key : {"limits", "requests", "claims"}) {
    const rapidjson::Value* group = FindMember(*resources, key);
    if (group != nullptr && ((group->IsObject() && group->MemberCount() > 0) ||
                             (group->IsArray() && !group->Empty()))) {
      return false;
    }
  }
  return true;
}

}  // namespace mm
