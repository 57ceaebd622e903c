#include "tests/core/applied_cluster.h"

#include "core/json.h"
#include "tests/sandbox/api_server.h"
#include "tests/sandbox/test_request.h"

namespace mm::bench {
namespace {

constexpr char kToken[] = "admin";

const sandbox::ResourceType* TypeOf(const sandbox::ApiServer& api, const Action& action) {
  for (const sandbox::ResourceType& type : api.registry().Types()) {
    if (type.kind == action.kind && type.ApiVersion() == action.api_version) return &type;
  }
  return nullptr;
}

std::string ObjectPath(const sandbox::ResourceType& type, const std::string& namespace_name,
                       const std::string& name) {
  std::string path =
      type.group.empty() ? "/api/" + type.version : "/apis/" + type.group + "/" + type.version;
  if (type.namespaced) path += "/namespaces/" + namespace_name;
  return path + "/" + type.plural + "/" + name;
}

Result<rapidjson::Document> Call(sandbox::ApiServer& api, const sandbox::Request& request) {
  sandbox::Response response = api.Handle(request);
  if (response.code >= 300) {
    return Error::Invalid(request.method + " " + request.path + ": " +
                          std::to_string(response.code) + " " + response.body);
  }
  return ParseJson(response.body, request.path);
}

}  // namespace

Result<AppliedCluster> AppliedCluster::Apply(const std::string& namespace_name, const Plan& plan) {
  sandbox::ApiServer api{sandbox::ServerConfig{}};
  api.authorizer().AddToken(kToken, {"admin", {"system:masters", "system:authenticated"}, true});
  api.Seed();
  MM_RETURN_IF_ERROR(Call(
      api, sandbox::TestRequest("POST", "/api/v1/namespaces",
                                R"({"metadata":{"name":")" + namespace_name + R"("}})", kToken)));
  AppliedCluster cluster;
  for (const Action& action : plan.actions) {
    if (!action.object) continue;
    const sandbox::ResourceType* type = TypeOf(api, action);
    if (type == nullptr) return Error::Invalid("sandbox serves no " + action.kind);
    std::string path = ObjectPath(*type, namespace_name, action.name);
    sandbox::Request apply =
        sandbox::TestRequest("PATCH", path + "?fieldManager=kubectl-mattermost&force=true",
                             ToJson(*action.object), kToken);
    apply.content_type = "application/apply-patch+yaml";
    MM_RETURN_IF_ERROR(Call(api, apply));
    auto stored = Call(api, sandbox::TestRequest("GET", path, "", kToken));
    if (!stored) return std::move(stored).error();
    cluster.observed_.objects[ObjectKey(action.kind, action.name)] =
        &cluster.stored_.emplace_back(std::move(*stored));
  }
  return cluster;
}

}  // namespace mm::bench
