#include "tests/sandbox/api_server.h"

#include <algorithm>

#include "core/json.h"
#include "core/yaml.h"
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/discovery.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One Accept entry: media type plus parameters.
struct MediaRange {
  std::string type;
  std::map<std::string, std::string> params;
};

std::vector<MediaRange> ParseAccept(std::string_view accept) {
  std::vector<MediaRange> out;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t comma = accept.find(',', start);
    std::string_view item = accept.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    MediaRange range;
    size_t semi = item.find(';');
    range.type = Trim(item.substr(0, semi));
    while (semi != std::string_view::npos) {
      size_t next = item.find(';', semi + 1);
      std::string_view param = item.substr(
          semi + 1, next == std::string_view::npos ? std::string_view::npos : next - semi - 1);
      size_t eq = param.find('=');
      if (eq != std::string_view::npos) {
        range.params[std::string(Trim(param.substr(0, eq)))] = Trim(param.substr(eq + 1));
      }
      semi = next;
    }
    if (!range.type.empty()) out.push_back(std::move(range));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Response Error(const mm::ApiStatus& status) {
  Response r;
  r.code = status.code;
  r.body = StatusJson(status);
  if (status.retry_after_seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(status.retry_after_seconds));
  }
  return r;
}

Response Text(int code, std::string body) {
  Response r;
  r.code = code;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response Json200(std::string body, std::string content_type = "application/json") {
  Response r;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

Output NegotiateOutput(std::string_view accept, std::string* table_version) {
  if (Trim(accept).empty()) return Output::kJson;
  for (const MediaRange& r : ParseAccept(accept)) {
    auto as = r.params.find("as");
    if (r.type == "application/json" && as != r.params.end()) {
      auto g = r.params.find("g");
      auto v = r.params.find("v");
      if (as->second == "Table" && g != r.params.end() && g->second == "meta.k8s.io" &&
          v != r.params.end() && (v->second == "v1" || v->second == "v1beta1")) {
        *table_version = v->second;
        return Output::kTable;
      }
      continue;
    }
    if (r.type == "application/json" || r.type == "*/*" || r.type == "application/*") {
      return Output::kJson;
    }
    if (r.type == "application/yaml") return Output::kYaml;
  }
  return Output::kUnacceptable;
}

std::string NegotiateDiscovery(std::string_view accept) {
  for (const MediaRange& r : ParseAccept(accept)) {
    auto as = r.params.find("as");
    auto g = r.params.find("g");
    auto v = r.params.find("v");
    if (r.type == "application/json" && as != r.params.end() &&
        as->second == "APIGroupDiscoveryList" && g != r.params.end() &&
        g->second == "apidiscovery.k8s.io" && v != r.params.end() &&
        (v->second == "v2" || v->second == "v2beta1")) {
      return v->second;
    }
    if (r.type == "application/json" && as == r.params.end()) return "";
    if (r.type == "*/*" || r.type == "application/*") return "";
  }
  return "";
}

Response ScaleResponse(const Json& scale) {
  Response r;
  r.body = Dump(scale);
  return r;
}

bool QueryBool(const std::string& value) {
  std::string v = value;
  std::transform(v.begin(), v.end(), v.begin(), ::tolower);
  return v == "true" || v == "1" || v == "t";
}

ApiServer::ApiServer(ServerConfig config)
    : config_(std::move(config)), store_(config_.watch_window), random_(std::random_device{}()) {}

std::string ApiServer::NewUid() {
  uint64_t a = random_(), b = random_();
  char out[37];
  std::snprintf(out, sizeof out, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return out;
}

std::string ApiServer::Now() const { return FormatTimestamp(config_.clock()); }

std::string ApiServer::Manager(const Call& call) const {
  std::string manager = call.req.Query("fieldManager");
  if (!manager.empty()) return manager;
  // kube-apiserver derives a default manager from the User-Agent's product name.
  std::string ua = call.req.user_agent;
  return ua.substr(0, ua.find('/'));
}

Response ApiServer::Handle(const Request& request) {
  Call call(request);
  ++requests_;
  auto who =
      authorizer_.Authenticate(request.cert_user, request.cert_groups, request.authorization);
  Response response;
  if (!who) {
    response = Error(*who.error().status());
  } else {
    call.who = *who;
    response = Route(call);
    if (call.fault) InjectFault(call, response);
  }
  response.user = call.who.user;
  if (response.verb.empty()) response.verb = call.verb.empty() ? request.method : call.verb;
  if (response.resource.empty()) {
    response.resource = call.type.plural.empty()
                            ? request.path
                            : call.type.plural + (call.sub.empty() ? "" : "/" + call.sub);
  }
  ++metrics_[response.resource][response.verb];
  for (const auto& w : call.warnings) {
    response.headers.emplace_back("Warning", "299 - " + Quote(w));
  }
  return response;
}

Response ApiServer::Route(Call& call) {
  const std::string& path = call.req.path;
  bool is_public = path == "/version" || path.rfind("/healthz", 0) == 0 ||
                   path.rfind("/livez", 0) == 0 || path.rfind("/readyz", 0) == 0;
  if (!call.who.authenticated && !is_public) return Error(Unauthorized());
  if (path.rfind("/api", 0) != 0 || path == "/apis" || path == "/api" || path == "/api/") {
    return NonResource(call);
  }
  std::vector<std::string> parts = Split(path);
  size_t gv_len = parts[0] == "api" ? 2 : 3;
  if (parts.size() <= gv_len) return Discovery(call);
  auto result = ResourceRequest(call);
  if (!result) return Error(*result.error().status());
  return std::move(*result);
}

Response ApiServer::NonResource(Call& call) {
  const std::string& path = call.req.path;
  // Anonymous callers only get here for /version and the health endpoints (Route refused the
  // rest), which the system:public-info-viewer role allows on a real cluster.
  Attributes attrs{.verb = "get", .path = path, .resource_request = false};
  if (call.who.authenticated && !authorizer_.Allowed(call.who, attrs)) {
    return Error(Forbidden(Authorizer::ForbiddenMessage(call.who, attrs)));
  }
  call.verb = call.req.method;
  if (path == "/version") {
    std::string minor = std::to_string(config_.version_minor);
    return Json200(R"({"major":"1","minor":")" + minor + R"(","gitVersion":"v1.)" + minor +
                   R"(.4","gitCommit":"59526cd4867447956156ae3a602fcbac10a2c335",)"
                   R"("gitTreeState":"clean","buildDate":"2025-04-22T16:00:00Z",)"
                   R"("goVersion":"go1.23.6","compiler":"gc","platform":"linux/amd64"})");
  }
  if (path.rfind("/healthz", 0) == 0 || path.rfind("/livez", 0) == 0 ||
      path.rfind("/readyz", 0) == 0) {
    return Text(200, "ok");
  }
  if (path == "/api" || path == "/api/" || path == "/apis" || path == "/apis/") {
    return Discovery(call);
  }
  if (path.rfind("/openapi/", 0) == 0) return OpenApi(call);
  if (path == "/sandbox/faults") {
    // Test infrastructure, so only for cluster administrators (the admin certificate and token).
    const auto& groups = call.who.groups;
    if (std::find(groups.begin(), groups.end(), "system:masters") == groups.end()) {
      return Error(Forbidden(Authorizer::ForbiddenMessage(call.who, attrs)));
    }
    auto [code, body] = faults_.Admin(call.req.method, call.req.body);
    Response r = Json200(std::move(body));
    r.code = code;
    return r;
  }
  if (path == "/sandbox/metrics") {
    if (call.req.method == "DELETE") metrics_.clear();
    std::string body = R"({"requests":)" + std::to_string(requests_) + R"(,"resources":{)";
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
    return Json200(body + "}}");
  }
  return Text(404, "404 page not found\n");
}

Response ApiServer::Discovery(Call& call) {
  call.verb = "get";
  if (doc_cache_generation_ != registry_.generation()) {
    doc_cache_.clear();
    doc_cache_generation_ = registry_.generation();
  }
  std::vector<std::string> parts = Split(call.req.path);
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
    if (body.empty()) return Error(UnknownResource());
    it = doc_cache_.emplace(key, std::move(body)).first;
  }
  Response r = Json200(it->second, content_type);
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
    return Json200(cached->second, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
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
    if (body.empty()) return Text(404, "404 page not found\n");
    it = doc_cache_.emplace(key, std::move(body)).first;
  }
  return Json200(it->second);
}

mm::Result<Response> ApiServer::ResourceRequest(Call& call) {
  std::vector<std::string> parts = Split(call.req.path);
  std::string group, version;
  size_t i;
  if (parts[0] == "api") {
    version = parts[1];
    i = 2;
  } else {
    group = parts[1];
    version = parts[2];
    i = 3;
  }
  std::vector<std::string> rest(parts.begin() + static_cast<long>(i), parts.end());
  bool legacy_watch = false;
  if (!rest.empty() && rest[0] == "watch") {
    legacy_watch = true;
    rest.erase(rest.begin());
  }
  if (rest.size() >= 3 && rest[0] == "namespaces" &&
      !(rest.size() == 3 && (rest[2] == "status" || rest[2] == "finalize"))) {
    call.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty() || rest.size() > 3) return mm::Error::Api(UnknownResource());
  const ResourceType* type = registry_.Find(group, version, rest[0]);
  if (type == nullptr) return mm::Error::Api(UnknownResource());
  call.type = *type;
  if (rest.size() > 1) call.name = rest[1];
  if (rest.size() > 2) call.sub = rest[2];
  if (call.type.plural == "namespaces" && !call.name.empty()) call.ns.clear();
  if (!call.type.namespaced && !call.ns.empty()) return mm::Error::Api(UnknownResource());
  if (!call.sub.empty() && !call.type.HasSubresource(call.sub)) {
    return mm::Error::Api(UnknownResource());
  }
  const std::string& m = call.req.method;
  bool watch = legacy_watch || QueryBool(call.req.Query("watch"));
  if (call.name.empty()) {
    if (m == "GET") {
      call.verb = watch ? "watch" : "list";
    } else if (m == "POST") {
      call.verb = "create";
    } else if (m == "DELETE") {
      call.verb = "deletecollection";
    } else {
      return mm::Error::Api(MethodNotAllowed());
    }
    if (call.type.namespaced && call.ns.empty() && call.verb != "list" && call.verb != "watch" &&
        call.type.storage) {
      return mm::Error::Api(UnknownResource());
    }
  } else {
    if (m == "GET") {
      call.verb = watch ? "watch" : "get";
    } else if (m == "PUT") {
      call.verb = "update";
    } else if (m == "PATCH") {
      call.verb = "patch";
    } else if (m == "DELETE") {
      call.verb = "delete";
    } else if (m == "POST" && !call.sub.empty()) {
      call.verb = "create";
    } else {
      return mm::Error::Api(MethodNotAllowed());
    }
    if (call.type.namespaced && call.ns.empty()) return mm::Error::Api(UnknownResource());
  }
  Attributes attrs{.verb = call.verb,
                   .group = call.type.group,
                   .resource = call.type.plural,
                   .subresource = call.sub,
                   .ns = call.ns,
                   .name = call.name};
  if (!authorizer_.Allowed(call.who, attrs)) {
    return mm::Error::Api(Forbidden(Authorizer::ForbiddenMessage(call.who, attrs)));
  }
  if (!call.req.in_process) {
    call.fault =
        faults_.Decide({.verb = call.verb,
                        .resource = call.type.plural + (call.sub.empty() ? "" : "/" + call.sub),
                        .group = call.type.group,
                        .ns = call.ns,
                        .name = call.name,
                        .method = call.req.method,
                        .path = call.req.path});
  }
  if (call.fault && call.fault->answer) return mm::Error::Api(*call.fault->answer);
  call.output = NegotiateOutput(call.req.accept, &call.table_version);
  if (call.output == Output::kUnacceptable) return mm::Error::Api(NotAcceptable());
  std::string include = call.req.Query("includeObject");
  if (include == "Object") call.include = IncludeObject::kObject;
  if (include == "None") call.include = IncludeObject::kNone;
  call.dry_run = call.req.Query("dryRun") == "All";
  if (!call.type.storage) return Review(call);
  if (!call.type.HasVerb(call.verb) && call.sub.empty()) {
    return mm::Error::Api(MethodNotAllowed());
  }
  if (call.verb == "get") return Get(call);
  if (call.verb == "list") return List(call);
  if (call.verb == "watch") return Watch(call);
  if (call.verb == "create") return Create(call);
  if (call.verb == "update") return Update(call);
  if (call.verb == "patch") return Patch(call);
  if (call.verb == "delete") return Delete(call);
  return DeleteCollection(call);
}

mm::Result<Response> ApiServer::Review(Call& call) {
  if (call.verb != "create") return mm::Error::Api(MethodNotAllowed());
  auto body = ParseBody(call);
  if (!body) return body.error();
  rapidjson::Document review = std::move(*body);
  Alloc& alloc = review.GetAllocator();
  SetString(review, "apiVersion", call.type.ApiVersion(), alloc);
  SetString(review, "kind", call.type.kind, alloc);
  Child(review, "metadata", alloc);
  Json& status = Child(review, "status", alloc);
  if (call.type.plural == "selfsubjectaccessreviews") {
    const Json* res = AtPath(review, "spec.resourceAttributes");
    const Json* non = AtPath(review, "spec.nonResourceAttributes");
    Attributes attrs;
    if (res != nullptr) {
      attrs = {.verb = Str(*res, "verb"),
               .group = Str(*res, "group"),
               .resource = Str(*res, "resource"),
               .subresource = Str(*res, "subresource"),
               .ns = Str(*res, "namespace"),
               .name = Str(*res, "name")};
    } else if (non != nullptr) {
      attrs = {.verb = Str(*non, "verb"), .path = Str(*non, "path"), .resource_request = false};
    }
    bool allowed = authorizer_.Allowed(call.who, attrs);
    Set(status, "allowed", Json(allowed), alloc);
    if (allowed) SetString(status, "reason", "sandbox policy allows it", alloc);
  } else if (call.type.plural == "selfsubjectrulesreviews") {
    auto rules = mm::ParseJson(authorizer_.RulesJson(call.who));
    Set(review, "status", *rules, alloc);
  } else {
    Json user(rapidjson::kObjectType);
    SetString(user, "username", call.who.user, alloc);
    Json groups(rapidjson::kArrayType);
    for (const auto& g : call.who.groups) groups.PushBack(Json(g.c_str(), alloc), alloc);
    user.AddMember("groups", groups, alloc);
    Set(status, "userInfo", user, alloc);
  }
  Response r;
  r.code = 201;
  r.body = Dump(review);
  return r;
}

std::string ApiServer::Present(const Call& call, const Json& object) const {
  const Json* api_version = Member(object, "apiVersion");
  if (call.type.custom && api_version && StrView(*api_version) != call.type.ApiVersion()) {
    rapidjson::Document copy = Clone(object);
    SetString(copy, "apiVersion", call.type.ApiVersion(), copy.GetAllocator());
    return Dump(copy);
  }
  return Dump(object);
}

Response ApiServer::ObjectResponse(const Call& call, const Json& object, int code) const {
  Response r;
  r.code = code;
  if (call.output == Output::kTable) {
    TablePrinter printer(call.type, config_.clock(), "meta.k8s.io/" + call.table_version);
    r.body = printer.Render({&object}, call.include, "", "");
    r.content_type = "application/json;as=Table;v=" + call.table_version + ";g=meta.k8s.io";
  } else if (call.output == Output::kYaml) {
    auto parsed = mm::ParseJson(Present(call, object));
    r.body = mm::ToYaml(*parsed);
    r.content_type = "application/yaml";
  } else {
    r.body = Present(call, object);
  }
  return r;
}

}  // namespace sandbox
