#include <algorithm>

#include "tests/sandbox/api_call.h"
#include "tests/sandbox/discovery.h"
#include "tests/sandbox/status.h"

// The non-resource endpoints: /version, health, discovery, OpenAPI and the sandbox's own
// /sandbox/faults and /sandbox/metrics.
namespace sandbox {

Response ApiServer::NonResource(Call& call) {
  const std::string& path = call.req.path;
  // Anonymous callers only get here for /version and the health endpoints (Route refused the
  // rest), which the system:public-info-viewer role allows on a real cluster.
  Attributes attrs{.verb = "get", .path = path, .resource_request = false};
  if (call.who.authenticated && !authorizer_.Allowed(call.who, attrs)) {
    return ErrorResponse(Forbidden(Authorizer::ForbiddenMessage(call.who, attrs)));
  }
  call.verb = call.req.method;
  if (path == "/version") {
    std::string minor = std::to_string(config_.version_minor);
    return JsonResponse(R"({"major":"1","minor":")" + minor + R"(","gitVersion":"v1.)" + minor +
                        R"(.4","gitCommit":"59526cd4867447956156ae3a602fcbac10a2c335",)"
                        R"("gitTreeState":"clean","buildDate":"2025-04-22T16:00:00Z",)"
                        R"("goVersion":"go1.23.6","compiler":"gc","platform":"linux/amd64"})");
  }
  if (path.rfind("/healthz", 0) == 0 || path.rfind("/livez", 0) == 0 ||
      path.rfind("/readyz", 0) == 0) {
    return TextResponse(200, "ok");
  }
  if (path == "/api" || path == "/api/" || path == "/apis" || path == "/apis/") {
    return Discovery(call);
  }
  if (path.rfind("/openapi/", 0) == 0) return OpenApi(call);
  if (path == "/sandbox/faults") {
    // Test infrastructure, so only for cluster administrators (the admin certificate and token).
    const auto& groups = call.who.groups;
    if (std::find(groups.begin(), groups.end(), "system:masters") == groups.end()) {
      return ErrorResponse(Forbidden(Authorizer::ForbiddenMessage(call.who, attrs)));
    }
    auto [code, body] = faults_.Admin(call.req.method, call.req.body);
    Response r = JsonResponse(std::move(body));
    r.code = code;
    return r;
  }
  if (path == "/sandbox/metrics") {
    bool reset = call.req.method == "DELETE";
    if (reset) metrics_.clear();
    std::string body = R"({"requests":)" + std::to_string(requests_) + ",";
    if (stream_metrics_) body += stream_metrics_(reset) + ",";
    body += R"("resources":{)";
    bool first_resource = true;
    for (const auto& [resource, verbs] : metrics_) {
      body += (first_resource ? "" : ",") + Quote(resource) + ":{";
      first_resource = false;
      bool first = true;
      for (const auto& [verb, count] : verbs) {
        body += (first ? "" : ",") + Quote(verb) + ":" + std::to_string(count);
        first = false;
      }
      body += "}";
    }
    return JsonResponse(body + "}}");
  }
  return TextResponse(404, "404 page not found\n");
}

Response ApiServer::Discovery(Call& call) {
  call.verb = "get";
  if (doc_cache_generation_ != registry_.generation()) {
    doc_cache_.clear();
    doc_cache_generation_ = registry_.generation();
  }
  std::vector<std::string> parts = SplitPath(call.req.path);
  std::string aggregated = NegotiateDiscovery(call.req.accept);
  std::string key = call.req.path + "|" + aggregated;
  std::string content_type = "application/json";
  bool root = parts.size() == 1;
  if (root && !aggregated.empty()) {
    content_type =
        "application/json;g=apidiscovery.k8s.io;v=" + aggregated + ";as=APIGroupDiscoveryList";
  }
  auto it = doc_cache_.find(key);
  if (it == doc_cache_.end()) {
    std::string body;
    if (root && !aggregated.empty()) {
      body = AggregatedDiscovery(registry_, parts[0] == "api", "apidiscovery.k8s.io/" + aggregated);
    } else if (root) {
      body = parts[0] == "api" ? LegacyCoreVersions(config_.address) : LegacyGroupList(registry_);
    } else if (parts[0] == "api") {
      body = parts.size() == 2 ? LegacyResourceList(registry_, "", parts[1]) : "";
    } else if (parts.size() == 2) {
      body = LegacyGroup(registry_, parts[1]);
    } else if (parts.size() == 3) {
      body = LegacyResourceList(registry_, parts[1], parts[2]);
    }
    if (body.empty()) return ErrorResponse(UnknownResource());
    it = doc_cache_.emplace(key, std::move(body)).first;
  }
  Response r = JsonResponse(it->second, content_type);
  r.headers.emplace_back("Vary", "Accept");
  return r;
}

Response ApiServer::OpenApi(Call& call) {
  if (doc_cache_generation_ != registry_.generation()) {
    doc_cache_.clear();
    doc_cache_generation_ = registry_.generation();
  }
  const std::string& path = call.req.path;
  std::string key = "openapi|" + path;
  if (path == "/openapi/v2" &&
      call.req.accept.find("application/com.github.proto-openapi.spec.v2") != std::string::npos) {
    key += "|protobuf";
    auto cached = doc_cache_.find(key);
    if (cached == doc_cache_.end()) {
      std::string version = "v1." + std::to_string(config_.version_minor) + ".4";
      cached = doc_cache_.emplace(key, OpenApiV2Protobuf(registry_, version)).first;
    }
    return JsonResponse(cached->second,
                        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
  }
  auto it = doc_cache_.find(key);
  if (it == doc_cache_.end()) {
    std::string body;
    if (path == "/openapi/v2") {
      body = OpenApiV2Json(registry_, "v1." + std::to_string(config_.version_minor) + ".4");
    } else if (path == "/openapi/v3" || path == "/openapi/v3/") {
      body = OpenApiV3Root(registry_);
    } else if (path.rfind("/openapi/v3/", 0) == 0) {
      body = OpenApiV3Document(registry_, path.substr(12));
    }
    if (body.empty()) return TextResponse(404, "404 page not found\n");
    it = doc_cache_.emplace(key, std::move(body)).first;
  }
  return JsonResponse(it->second);
}

}  // namespace sandbox
