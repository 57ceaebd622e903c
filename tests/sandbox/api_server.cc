#include "tests/sandbox/api_server.h"

#include "core/json.h"
#include "core/yaml.h"
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/status.h"

namespace sandbox {

Response ErrorResponse(const mm::ApiStatus& status) {
  Response r;
  r.code = status.code;
  r.body = StatusJson(status);
  if (status.retry_after_seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(status.retry_after_seconds));
  }
  return r;
}

Response TextResponse(int code, std::string body) {
  Response r;
  r.code = code;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response JsonResponse(std::string body, std::string content_type) {
  Response r;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

std::vector<std::string> SplitPath(std::string_view path) {
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

Response ScaleResponse(const Json& scale) {
  Response r;
  r.body = Dump(scale);
  return r;
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
    response = ErrorResponse(*who.error().status());
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
  if (!call.who.authenticated && !is_public) return ErrorResponse(Unauthorized());
  if (path.rfind("/api", 0) != 0 || path == "/apis" || path == "/api" || path == "/api/") {
    return NonResource(call);
  }
  std::vector<std::string> parts = SplitPath(path);
  size_t gv_len = parts[0] == "api" ? 2 : 3;
  if (parts.size() <= gv_len) return Discovery(call);
  auto result = ResourceRequest(call);
  if (!result) return ErrorResponse(*result.error().status());
  return std::move(*result);
}

mm::Result<Response> ApiServer::ResourceRequest(Call& call) {
  std::vector<std::string> parts = SplitPath(call.req.path);
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

namespace {

// Whether `object`, a custom resource stored at another version, is served at the version the
// request named (only apiVersion changes: the sandbox's versions share one schema).
bool ServedAtAnotherVersion(const ResourceType& type, const Json& object) {
  const Json* api_version = Member(object, "apiVersion");
  return type.custom && api_version && StrView(*api_version) != type.ApiVersion();
}

}  // namespace

std::string ApiServer::Present(const Call& call, const Json& object) const {
  if (ServedAtAnotherVersion(call.type, object)) {
    rapidjson::Document copy = Clone(object);
    SetString(copy, "apiVersion", call.type.ApiVersion(), copy.GetAllocator());
    return Dump(copy);
  }
  return Dump(object);
}

void ApiServer::AppendPresented(const Call& call, const ObjectPtr& object, std::string& out) {
  if (ServedAtAnotherVersion(call.type, *object)) {
    out += Present(call, *object);
  } else {
    out += json_text_.Text(object);
  }
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
