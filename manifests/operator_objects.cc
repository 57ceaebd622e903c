#include "manifests/operator_objects.h"

#include "core/json_builder.h"
#include "core/mattermost/crd_schema.h"

namespace mm::manifests {
namespace {

constexpr char kName[] = "mattermost-operator";

Json Rule(std::initializer_list<Json> groups, std::initializer_list<Json> resources,
          std::initializer_list<Json> verbs, Json resource_names = Json::Omit()) {
  return Json::Object({{"apiGroups", Json::Array(groups)},
                       {"resources", Json::Array(resources)},
                       {"resourceNames", std::move(resource_names)},
                       {"verbs", Json::Array(verbs)}});
}

Json ClusterRole() {
  Json seven = Json::Array({"get", "list", "watch", "create", "update", "patch", "delete"});
  return Json::Object(
      {{"apiVersion", "rbac.authorization.k8s.io/v1"},
       {"kind", "ClusterRole"},
       {"metadata", Json::Object({{"name", kName}})},
       {"rules",
        Json::Array({
            Rule({""},
                 {"pods", "services", "configmaps", "secrets", "serviceaccounts",
                  "persistentvolumeclaims"},
                 {"*"}),
            Rule({""}, {"namespaces"}, {"get"}),
            Rule({"coordination.k8s.io"}, {"leases"}, {"*"}),
            Rule({"apps"}, {"deployments"}, {"*"}),
            Rule({"apps"}, {"deployments/finalizers"}, {"update"}, Json::Array({kName})),
            Rule({"apps"}, {"replicasets"}, {"get", "list", "watch", "delete"}),
            Rule({"batch"}, {"jobs"}, {"get", "create", "list", "delete", "watch", "update"}),
            Rule({"networking.k8s.io"}, {"ingresses", "ingressclasses"}, {"*"}),
            Rule({"rbac.authorization.k8s.io"}, {"rolebindings", "roles"},
                 {"get", "create", "list", "delete", "watch", "update"}),
            Rule({"mattermost.com"}, {"*"}, {"*"}),
            Rule({"installation.mattermost.com"}, {"*"}, {"*"}),
            Rule({"mysql.presslabs.org"}, {"mysqlbackups", "mysqlclusters", "mysqlclusters/status"},
                 {"get", "list", "watch", "create", "update", "patch", "delete"}),
            Rule({"miniocontroller.min.io"}, {"minioinstances", "minioinstances/status"},
                 {"get", "list", "watch", "create", "update", "patch", "delete"}),
        })}});
}

Json Env(std::string_view name, std::string_view value) {
  return Json::Object({{"name", name}, {"value", value}});
}

Json Deployment() {
  Json container = Json::Object(
      {{"name", kName},
       {"image", std::string("mattermost/mattermost-operator:v") + kOperatorVersion},
       {"imagePullPolicy", "IfNotPresent"},
       {"command", Json::Array({"/mattermost-operator"})},
       {"args", Json::Array({"--enable-leader-election", "--metrics-addr=0.0.0.0:8383"})},
       {"ports", Json::Array({Json::Object({{"containerPort", 8383}, {"name", "metrics"}})})},
       {"env", Json::Array({Env("MAX_RECONCILING_INSTALLATIONS", "20"),
                            Env("REQUEUE_ON_LIMIT_DELAY", "20s"),
                            Env("MAX_RECONCILE_CONCURRENCY", "10")})}});
  Json labels = Json::Object({{"name", kName}});
  return Json::Object(
      {{"apiVersion", "apps/v1"},
       {"kind", "Deployment"},
       {"metadata", Json::Object({{"name", kName}, {"namespace", kOperatorNamespace}})},
       {"spec",
        Json::Object({{"replicas", 1},
                      {"selector", Json::Object({{"matchLabels", labels}})},
                      {"template",
                       Json::Object({{"metadata", Json::Object({{"labels", labels}})},
                                     {"spec", Json::Object({{"serviceAccountName", kName},
                                                            {"containers",
                                                             Json::Array({container})}})}})}})}});
}

Json Service() {
  return Json::Object(
      {{"apiVersion", "v1"},
       {"kind", "Service"},
       {"metadata", Json::Object({{"name", kName},
                                  {"namespace", kOperatorNamespace},
                                  {"labels", Json::Object({{"app", kName}, {"name", kName}})}})},
       {"spec", Json::Object({{"type", "ClusterIP"},
                              {"ports", Json::Array({Json::Object({{"name", "metrics"},
                                                                   {"port", 8383},
                                                                   {"protocol", "TCP"},
                                                                   {"targetPort", "metrics"}})})},
                              {"selector", Json::Object({{"name", kName}})}})}});
}

}  // namespace

rapidjson::Document OperatorObjects() {
  rapidjson::Document objects(rapidjson::kArrayType);
  auto& allocator = objects.GetAllocator();
  auto push = [&](const Json& json) { objects.PushBack(json.Build(allocator), allocator); };
  auto push_document = [&](const rapidjson::Document& document) {
    objects.PushBack(rapidjson::Value(document, allocator), allocator);
  };
  push(Json::Object({{"apiVersion", "v1"},
                     {"kind", "Namespace"},
                     {"metadata", Json::Object({{"name", kOperatorNamespace}})}}));
  push_document(ClusterInstallationCrd());
  push_document(MattermostRestoreDbCrd());
  push_document(MattermostCrd());
  push(Json::Object(
      {{"apiVersion", "v1"},
       {"kind", "ServiceAccount"},
       {"metadata", Json::Object({{"name", kName}, {"namespace", kOperatorNamespace}})}}));
  push(ClusterRole());
  push(Json::Object(
      {{"apiVersion", "rbac.authorization.k8s.io/v1"},
       {"kind", "ClusterRoleBinding"},
       {"metadata", Json::Object({{"name", kName}})},
       {"roleRef",
        Json::Object(
            {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", kName}})},
       {"subjects",
        Json::Array({Json::Object(
            {{"kind", "ServiceAccount"}, {"name", kName}, {"namespace", kOperatorNamespace}})})}}));
  push(Service());
  push(Deployment());
  return objects;
}

}  // namespace mm::manifests
