#include "core/mattermost/crd_schema.h"

#include "core/json_builder.h"

namespace mm {
namespace {

// Schema building blocks.
Json Str(std::string_view description = "") {
  return Json::Object(
      {{"description", Json::If(!description.empty(), description)}, {"type", "string"}});
}
Json Pattern(std::string_view pattern) {
  return Json::Object({{"type", "string"}, {"pattern", pattern}});
}
Json Enum(std::initializer_list<Json> values) {
  return Json::Object({{"type", "string"}, {"enum", Json::Array(values)}});
}
Json Bool() { return Json::Object({{"type", "boolean"}}); }
Json Int32() { return Json::Object({{"type", "integer"}, {"format", "int32"}}); }
Json Int64() { return Json::Object({{"type", "integer"}, {"format", "int64"}}); }
Json Obj(std::vector<Json::Member> properties, std::initializer_list<Json> required = {}) {
  return Json::Object({{"type", "object"},
                       {"properties", Json::Object(std::move(properties))},
                       {"required", Json::If(required.size() > 0, Json::Array(required))}});
}
Json StringMap() {
  return Json::Object(
      {{"type", "object"}, {"additionalProperties", Json::Object({{"type", "string"}})}});
}
// An embedded Kubernetes type, kept as is.
Json Embedded() {
  return Json::Object({{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}});
}
Json EmbeddedList() { return Json::Object({{"type", "array"}, {"items", Embedded()}}); }
Json List(Json items) { return Json::Object({{"type", "array"}, {"items", std::move(items)}}); }

constexpr char kQuantityPattern[] = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
constexpr char kDurationPattern[] = "^([0-9]+(\\.[0-9]+)?(ns|us|\xC2\xB5s|ms|s|m|h))+$";

Json Hosts() { return List(Obj({{"hostName", Str()}})); }

// {storageSize, replicas, resources}: an operator-managed store (MySQL or MinIO), both CRDs.
std::vector<Json::Member> ManagedStoreFields(Json storage_size) {
  return {
      {"storageSize", std::move(storage_size)}, {"replicas", Int32()}, {"resources", Embedded()}};
}

// The operator-managed MySQL fields, shared by v1beta1 `database.operatorManaged` and v1alpha1
// `database` (which has a pattern-free storageSize).
std::vector<Json::Member> ManagedDatabaseFields(Json storage_size) {
  std::vector<Json::Member> fields = {{"type", Str()}};
  for (Json::Member& field : ManagedStoreFields(std::move(storage_size))) {
    fields.push_back(std::move(field));
  }
  for (const char* name :
       {"initBucketURL", "backupSchedule", "backupURL", "backupRemoteDeletePolicy",
        "backupSecretName", "backupRestoreSecretName", "version"}) {
    fields.emplace_back(std::string_view(name), Str());
  }
  return fields;
}

Json ElasticSearch() { return Obj({{"host", Str()}, {"username", Str()}, {"password", Str()}}); }

Json MattermostDatabase() {
  return Obj({
      {"external", Obj({{"secret", Str("Secret with DB_CONNECTION_STRING")}})},
      {"operatorManaged", Obj(ManagedDatabaseFields(Pattern(kQuantityPattern)))},
      {"disableReadinessCheck", Bool()},
      {"readinessCheck",
       Obj({{"mode", Enum({"external", "builtin"})}, {"timeout", Pattern(kDurationPattern)}})},
  });
}

Json MattermostFileStore() {
  return Obj({
      {"external", Obj({{"url", Str()},
                        {"bucket", Str()},
                        {"secret", Str("Secret with accesskey and secretkey")},
                        {"useServiceAccount", Bool()}})},
      {"externalVolume", Obj({{"volumeClaimName", Str()}})},
      {"local", Obj({{"enabled", Bool()},
                     {"storageSize", Pattern(kQuantityPattern)},
                     {"accessModes", List(Str())}},
                    {"enabled"})},
      {"operatorManaged", Obj(ManagedStoreFields(Pattern(kQuantityPattern)))},
  });
}

Json MattermostSpecSchema() {
  Json patch = Obj({{"disable", Bool()}, {"patch", Str("RFC 6902 JSON patch")}});
  return Obj({
      {"size", Str("Size of the installation, e.g. 5000users; erased once applied")},
      {"image", Str()},
      {"version", Str()},
      {"replicas", Int32()},
      {"mattermostEnv", EmbeddedList()},
      {"licenseSecret", Str()},
      {"ingressName", Str()},
      {"ingressAnnotations", StringMap()},
      {"useIngressTLS", Bool()},
      {"useServiceLoadBalancer", Bool()},
      {"serviceAnnotations", StringMap()},
      {"resourceLabels", StringMap()},
      {"ingress", Obj({{"enabled", Bool()},
                       {"host", Str()},
                       {"hosts", Hosts()},
                       {"annotations", StringMap()},
                       {"tlsSecret", Str()},
                       {"ingressClass", Str()}},
                      {"enabled"})},
      {"awsLoadBalancerController", Obj({{"enabled", Bool()},
                                         {"certificateARN", Str()},
                                         {"internetFacing", Bool()},
                                         {"hosts", Hosts()},
                                         {"ingressClassName", Str()},
                                         {"annotations", StringMap()}})},
      {"volumes", EmbeddedList()},
      {"volumeMounts", EmbeddedList()},
      {"imagePullPolicy", Enum({"Always", "Never", "IfNotPresent"})},
      {"imagePullSecrets", EmbeddedList()},
      {"dnsConfig", Embedded()},
      {"dnsPolicy", Str()},
      {"database", MattermostDatabase()},
      {"fileStore", MattermostFileStore()},
      {"elasticSearch", ElasticSearch()},
      {"scheduling", Obj({{"resources", Embedded()},
                          {"nodeSelector", StringMap()},
                          {"affinity", Embedded()},
                          {"tolerations", EmbeddedList()}})},
      {"probes", Obj({{"livenessProbe", Embedded()}, {"readinessProbe", Embedded()}})},
      {"podTemplate", Obj({{"command", List(Str())},
                           {"securityContext", Embedded()},
                           {"containerSecurityContext", Embedded()},
                           {"extraAnnotations", StringMap()},
                           {"extraLabels", StringMap()}})},
      {"deploymentTemplate",
       Obj({{"deploymentStrategyType", Str()}, {"revisionHistoryLimit", Int32()}})},
      {"updateJob", Obj({{"disabled", Bool()},
                         {"extraAnnotations", StringMap()},
                         {"extraLabels", StringMap()}})},
      {"jobServer", Obj({{"dedicatedJobServer", Bool()}})},
      {"podExtensions", Obj({{"initContainers", EmbeddedList()},
                             {"sidecarContainers", EmbeddedList()},
                             {"containerPorts", EmbeddedList()}})},
      {"resourcePatch", Obj({{"service", patch}, {"deployment", patch}})},
  });
}

Json MattermostStatusSchema() {
  Json patch_status = Obj({{"applied", Bool()}, {"error", Str()}});
  return Obj({{"state", Enum({"reconciling", "ready", "stable"})},
              {"version", Str()},
              {"image", Str()},
              {"endpoint", Str()},
              {"replicas", Int32()},
              {"updatedReplicas", Int32()},
              {"observedGeneration", Int64()},
              {"error", Str()},
              {"resourcePatch",
               Obj({{"servicePatch", patch_status}, {"deploymentPatch", patch_status}})}});
}

Json AppDeployment() {
  return Obj({{"name", Str()},
              {"ingressName", Str()},
              {"image", Str()},
              {"version", Str()},
              {"resourceLabels", StringMap()}});
}

Json ClusterInstallationSpecSchema() {
  std::vector<Json::Member> minio = ManagedStoreFields(Str());
  minio.insert(minio.end(), {{"externalURL", Str()}, {"externalBucket", Str()}, {"secret", Str()}});
  std::vector<Json::Member> database = ManagedDatabaseFields(Str());
  database.insert(database.begin() + 1, {"secret", Str()});
  return Obj({{"image", Str()},
              {"version", Str()},
              {"size", Str()},
              {"replicas", Int32()},
              {"resources", Embedded()},
              {"ingressName", Str()},
              {"mattermostLicenseSecret", Str()},
              {"nodeSelector", StringMap()},
              {"affinity", Embedded()},
              {"minio", Obj(std::move(minio))},
              {"database", Obj(std::move(database))},
              {"blueGreen", Obj({{"productionDeployment", Str()},
                                 {"enable", Bool()},
                                 {"blue", AppDeployment()},
                                 {"green", AppDeployment()}})},
              {"canary", Obj({{"enable", Bool()}, {"deployment", AppDeployment()}})},
              {"elasticSearch", ElasticSearch()},
              {"useServiceLoadBalancer", Bool()},
              {"serviceAnnotations", StringMap()},
              {"useIngressTLS", Bool()},
              {"resourceLabels", StringMap()},
              {"ingressAnnotations", StringMap()},
              {"mattermostEnv", EmbeddedList()},
              {"livenessProbe", Embedded()},
              {"readinessProbe", Embedded()},
              {"imagePullPolicy", Str()},
              {"migrate", Bool()}},
             {"ingressName"});
}

Json ClusterInstallationStatusSchema() {
  return Obj({{"state", Str()},
              {"version", Str()},
              {"image", Str()},
              {"endpoint", Str()},
              {"replicas", Int32()},
              {"updatedReplicas", Int32()},
              {"blueName", Str()},
              {"greenName", Str()},
              {"migration", Obj({{"status", Str()}, {"error", Str()}})}});
}

Json Column(std::string_view name, std::string_view path) {
  return Json::Object({{"name", name}, {"type", "string"}, {"jsonPath", path}});
}

Json StatusColumns() {
  return Json::Array({Column("State", ".status.state"), Column("Image", ".status.image"),
                      Column("Version", ".status.version"),
                      Column("Endpoint", ".status.endpoint")});
}

struct CrdNames {
  std::string_view group, version, kind, list_kind, plural, singular;
  std::initializer_list<Json> short_names;
};

rapidjson::Document Crd(const CrdNames& names, Json spec, Json status, Json columns,
                        bool spec_required) {
  std::string name = std::string(names.plural) + "." + std::string(names.group);
  Json schema =
      Json::Object({{"type", "object"},
                    {"properties", Json::Object({{"apiVersion", Str()},
                                                 {"kind", Str()},
                                                 {"metadata", Json::Object({{"type", "object"}})},
                                                 {"spec", std::move(spec)},
                                                 {"status", std::move(status)}})},
                    {"required", Json::If(spec_required, Json::Array({"spec"}))}});
  Json version = Json::Object({{"name", names.version},
                               {"served", true},
                               {"storage", true},
                               {"schema", Json::Object({{"openAPIV3Schema", std::move(schema)}})},
                               {"subresources", Json::Object({{"status", Json::Object({})}})},
                               {"additionalPrinterColumns", std::move(columns)}});
  return Json::Object(
             {{"apiVersion", "apiextensions.k8s.io/v1"},
              {"kind", "CustomResourceDefinition"},
              {"metadata", Json::Object({{"name", name}})},
              {"spec",
               Json::Object({{"group", names.group},
                             {"names", Json::Object({{"kind", names.kind},
                                                     {"listKind", names.list_kind},
                                                     {"plural", names.plural},
                                                     {"singular", names.singular},
                                                     {"shortNames",
                                                      Json::If(names.short_names.size() > 0,
                                                               Json::Array(names.short_names))}})},
                             {"scope", "Namespaced"},
                             {"versions", Json::Array({std::move(version)})}})}})
      .BuildDocument();
}

}  // namespace

rapidjson::Document MattermostCrd() {
  return Crd({"installation.mattermost.com",
              "v1beta1",
              "Mattermost",
              "MattermostList",
              "mattermosts",
              "mattermost",
              {"mm"}},
             MattermostSpecSchema(), MattermostStatusSchema(), StatusColumns(), false);
}

rapidjson::Document ClusterInstallationCrd() {
  return Crd({"mattermost.com",
              "v1alpha1",
              "ClusterInstallation",
              "ClusterInstallationList",
              "clusterinstallations",
              "clusterinstallation",
              {}},
             ClusterInstallationSpecSchema(), ClusterInstallationStatusSchema(), StatusColumns(),
             true);
}

rapidjson::Document MattermostRestoreDbCrd() {
  Json spec = Obj({{"mattermostClusterName", Str("Name of a ClusterInstallation")},
                   {"restoreSecret", Str()},
                   {"initBucketURL", Str()},
                   {"mattermostDBUser", Str()},
                   {"mattermostDBPassword", Str()},
                   {"mattermostDBName", Str()}});
  Json status =
      Obj({{"state", Enum({"restoring", "finished", "failed"})}, {"originalDBReplicas", Int32()}});
  // The operator declares this int32 column as string; copied.
  Json columns = Json::Array({Column("State", ".status.state"),
                              Column("Original DB Replicas", ".status.originalDBReplicas")});
  return Crd({"mattermost.com",
              "v1alpha1",
              "MattermostRestoreDB",
              "MattermostRestoreDBList",
              "mattermostrestoredbs",
              "mattermostrestoredb",
              {}},
             std::move(spec), std::move(status), std::move(columns), false);
}

}  // namespace mm
