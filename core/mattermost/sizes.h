#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/json_builder.h"

namespace mm {

// CPU and memory, already in canonical quantity form (the operator's table says `2000m`, the Go
// client writes `2`; we store what ends up in the API server).
struct ResourceAmounts {
  std::string cpu;
  std::string memory;
};

// One row of the operator's size table (§2.2), shared by Mattermost and ClusterInstallation.
struct SizeRow {
  std::string_view name;
  int app_replicas;
  ResourceAmounts app_requests;
  ResourceAmounts app_limits;
  int minio_replicas;
  ResourceAmounts minio_requests;
  int db_replicas;
  ResourceAmounts db_requests;
};

inline constexpr std::string_view kDefaultSize = "5000users";

// Returns the row for `name` (case-sensitive), or nullptr for an unknown size.
const SizeRow* FindSize(std::string_view name);

// Returns every known size name, comma-separated in the table's order (for errors and help).
std::string KnownSizeList();

// Returns "unknown size \"<name>\"; known sizes: 100users, 1000users, ...".
std::string UnknownSizeMessage(std::string_view name);

// The ResourceRequirements {"limits": {cpu, memory}, "requests": {cpu, memory}} (no limits when
// `limits` is nullptr) as a value allocated by `allocator`, for the defaulting that writes it
// into a document.
rapidjson::Value SizeResources(const ResourceAmounts* limits, const ResourceAmounts& requests,
                               rapidjson::Document::AllocatorType& allocator);

// True when `holder`.resources is a ResourceRequirements without limits, requests or claims
// (Go's len() == 0 test the size defaulting uses), or is absent.
bool ResourceRequirementsEmpty(const rapidjson::Value& holder);

}  // namespace mm
