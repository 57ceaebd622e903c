#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/sandbox/api_server.h"
#include "tests/sandbox/managed_fields.h"

namespace sandbox {

// How a response body is encoded, from the Accept header.
enum class Output { kJson, kYaml, kTable, kUnacceptable };

// Picks the first Accept entry the server can produce. `table_version` receives v1 or v1beta1
// for Tables.
Output NegotiateOutput(std::string_view accept, std::string* table_version);
// The aggregated discovery version the Accept header asks for (v2, v2beta1), or "" for legacy.
std::string NegotiateDiscovery(std::string_view accept);
// A 200 response carrying an autoscaling/v1 Scale (never re-versioned like custom objects).
Response ScaleResponse(const Json& scale);
// Parses a Kubernetes-style boolean query value (true/True/1/t).
bool QueryBool(const std::string& value);

// A response carrying a Status body (and Retry-After when the status asks for it).
Response ErrorResponse(const mm::ApiStatus& status);
// A plain-text response (health endpoints, 404 pages).
Response TextResponse(int code, std::string body);
// A 200 response with a JSON (or other) document body.
Response JsonResponse(std::string body, std::string content_type = "application/json");
// The non-empty segments of a URL path ("/apis/apps/v1" -> apis, apps, v1).
std::vector<std::string> SplitPath(std::string_view path);

// Request bodies nesting deeper than this are refused. kube-apiserver's decoder stops at 10000;
// no real object comes near 1000, and the recursive parsers and walkers here (RapidJSON,
// yaml-cpp, patches, pruning) then stay far from the stack limit, sanitizer builds included.
constexpr int kMaxNesting = 1000;

// Which fields a write to `sub` ("" or "status") of `type` owns.
inline FieldScope ScopeOf(const ResourceType& type, const std::string& sub) {
  if (sub == "status") return FieldScope::kStatus;
  return type.has_status ? FieldScope::kMain : FieldScope::kAll;
}

// A custom resource's openAPIV3Schema, or nullptr.
inline const Json* SchemaOf(const ResourceType& type) {
  return type.schema ? static_cast<const Json*>(type.schema.get()) : nullptr;
}

// Everything known about the request being served.
struct ApiServer::Call {
  explicit Call(const Request& r) : req(r) {}

  const Request& req;
  Identity who;
  // Resource requests only:
  ResourceType type;  // a copy: a CRD write during the call may reshape the registry
  std::string ns, name, sub;
  std::string verb;
  Output output = Output::kJson;
  std::string table_version = "v1";
  IncludeObject include = IncludeObject::kMetadata;
  bool dry_run = false;
  std::vector<std::string> warnings;
  std::optional<FaultAction> fault;  // decided before serving, carried out on the response
};

}  // namespace sandbox
