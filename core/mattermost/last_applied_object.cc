#include "core/mattermost/last_applied_object.h"

#include <initializer_list>

#include "core/go_json.h"
#include "core/json.h"
#include "core/json_builder.h"
#include "core/json_copy.h"
#include "core/last_applied.h"

namespace mm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// The object at `path` under `root`, created (empty) where missing.
rapidjson::Value& At(rapidjson::Value& root, std::initializer_list<std::string_view> path,
                     Allocator& allocator) {
  rapidjson::Value* value = &root;
  for (std::string_view key : path) value = &EnsureObject(*value, key, allocator);
  return *value;
}

// `resources: {}` on every container of the pod spec at `path` (Go's ResourceRequirements struct
// is never omitted).
void ContainerResources(rapidjson::Value& root, std::initializer_list<std::string_view> path,
                        Allocator& allocator) {
  rapidjson::Value& pod = At(root, path, allocator);
  for (const char* list : {"initContainers", "containers"}) {
    auto containers = pod.FindMember(list);
    if (containers == pod.MemberEnd() || !containers->value.IsArray()) continue;
    for (rapidjson::Value& container : containers->value.GetArray()) {
      if (container.IsObject()) EnsureObject(container, "resources", allocator);
    }
  }
}

void RemoveMember(rapidjson::Value* object, std::string_view name) {
  if (object != nullptr && object->IsObject()) {
    object->RemoveMember(rapidjson::StringRef(name.data(), name.size()));
  }
}

rapidjson::Value* Find(rapidjson::Value& object, std::string_view name) {
  return const_cast<rapidjson::Value*>(FindMember(object, name));
}

bool IsZeroIntOrString(const rapidjson::Value* value) {
  return value != nullptr && ((value->IsInt() && value->GetInt() == 0) ||
                              (value->IsString() && std::string_view(value->GetString()) == "0"));
}

// Adds the empty structs Go writes for the operator's typed objects, other than the top-level
// status: what its Create/Update send and what CRD objects (not defaulted by the server) hold.
void AddEmptyStructs(rapidjson::Document& object, const std::string& kind) {
  Allocator& allocator = object.GetAllocator();
  if (kind == "Deployment" || kind == "Job") {
    ContainerResources(object, {"spec", "template", "spec"}, allocator);
  } else if (kind == "PersistentVolumeClaim") {
    At(object, {"spec", "resources"}, allocator);
  } else if (kind == "MysqlCluster") {
    for (std::string_view block :
         {"resources", "metricsExporterResources", "mysqlOperatorSidecarResources"}) {
      At(object, {"spec", "podSpec", block}, allocator);
    }
  } else if (kind == "MinIOInstance") {
    At(object, {"spec", "resources"}, allocator);
    if (rapidjson::Value* claim = Find(At(object, {"spec"}, allocator), "volumeClaimTemplate")) {
      if (claim->IsObject()) At(*claim, {"status"}, allocator);
    }
  }
}

// The top-level status Go writes for the kinds that have one (all fields omitempty but MinIO's).
void AddStatus(rapidjson::Document& object, const std::string& kind) {
  Allocator& allocator = object.GetAllocator();
  if (kind == "Deployment" || kind == "Job" || kind == "PersistentVolumeClaim" ||
      kind == "MysqlCluster") {
    At(object, {"status"}, allocator);
  } else if (kind == "Service" || kind == "Ingress") {
    At(object, {"status", "loadBalancer"}, allocator);
  } else if (kind == "MinIOInstance") {
    rapidjson::Value& status = At(object, {"status"}, allocator);
    if (!status.HasMember("availableReplicas")) {
      SetMember(status, "availableReplicas", rapidjson::Value(0), allocator);
    }
  }
}

// Rewrites `object` (a copy) into what objectmatcher records for the operator's Go object.
void ToRecordedShape(rapidjson::Document& object, std::string_view mattermost_namespace) {
  Allocator& allocator = object.GetAllocator();
  std::string kind = GetString(object, "kind");
  AddEmptyStructs(object, kind);
  AddStatus(object, kind);
  RemoveMember(&object, "apiVersion");  // the generators leave TypeMeta empty
  RemoveMember(&object, "kind");
  rapidjson::Value& metadata = EnsureObject(object, "metadata", allocator);
  rapidjson::Value* annotations = Find(metadata, "annotations");
  RemoveMember(annotations, kLastAppliedAnnotation);
  if (annotations != nullptr && annotations->IsObject() && annotations->ObjectEmpty()) {
    RemoveMember(&metadata, "annotations");
  }
  std::string name = GetString(metadata, "name");
  bool owner_set_at_creation = kind == "PersistentVolumeClaim" || kind == "Job" ||
                               (kind == "Secret" && name.size() > 20 &&
                                name.compare(name.size() - 20, 20, "-mysql-root-password") == 0);
  if (owner_set_at_creation) RemoveMember(&metadata, "ownerReferences");
  if (kind == "Deployment") {
    // objectmatcher writes an IntOrString 0 as null, which is then cleaned away.
    rapidjson::Value* spec = Find(object, "spec");
    rapidjson::Value* strategy = spec ? Find(*spec, "strategy") : nullptr;
    rapidjson::Value* rolling = strategy ? Find(*strategy, "rollingUpdate") : nullptr;
    for (const char* field : {"maxUnavailable", "maxSurge"}) {
      if (rolling && IsZeroIntOrString(FindMember(*rolling, field))) RemoveMember(rolling, field);
    }
  } else if (kind == "IngressClass") {
    SetMember(metadata, "namespace", JsonString(mattermost_namespace, allocator), allocator);
  } else if (kind == "RoleBinding") {
    RemoveMember(Find(object, "roleRef"), "apiGroup");
  }
}

}  // namespace

std::string OperatorLastAppliedDocument(const rapidjson::Value& object,
                                        std::string_view mattermost_namespace) {
  return BuildOperatorRecord(object, mattermost_namespace).document;
}

OperatorRecord BuildOperatorRecord(const rapidjson::Value& object,
                                   std::string_view mattermost_namespace, Allocator* allocator) {
  OperatorRecord record{rapidjson::Document(allocator), ""};
  CopyStructureInto(record.object, object);
  ToRecordedShape(record.object, mattermost_namespace);
  record.document = GoCanonicalJson(record.object);
  return record;
}

bool RecordAddsMembers(std::string_view kind) { return kind == "IngressClass"; }

std::shared_ptr<const rapidjson::Document> WithLastApplied(const rapidjson::Value& object,
                                                           std::string_view mattermost_namespace) {
  return WithLastAppliedDocument(object, OperatorLastAppliedDocument(object, mattermost_namespace));
}

std::shared_ptr<const rapidjson::Document> WithLastAppliedDocument(const rapidjson::Value& object,
                                                                   std::string_view document) {
  auto written = std::make_shared<rapidjson::Document>();
  Allocator& allocator = written->GetAllocator();
  CopyInto(*written, object);
  AddEmptyStructs(*written, GetString(object, "kind"));
  std::string value = EncodeLastApplied(document);
  rapidjson::Value& annotations =
      EnsureObject(EnsureObject(*written, "metadata", allocator), "annotations", allocator);
  SetMember(annotations, kLastAppliedAnnotation, JsonString(value, allocator), allocator);
  return written;
}

rapidjson::Document WithLiveServiceAddresses(const rapidjson::Value& desired,
                                             const rapidjson::Value& live, Allocator* pool) {
  rapidjson::Document service(pool);
  Allocator& allocator = service.GetAllocator();
  CopyInto(service, desired);
  const rapidjson::Value* live_spec = FindMember(live, "spec");
  if (live_spec == nullptr) return service;
  rapidjson::Value& spec = EnsureObject(service, "spec", allocator);
  bool both_balancers =
      GetString(spec, "type") == "LoadBalancer" && GetString(*live_spec, "type") == "LoadBalancer";
  for (std::string_view field : {"clusterIP", "clusterIPs", "loadBalancerIP"}) {
    const rapidjson::Value* value = FindMember(*live_spec, field);
    const rapidjson::Value* wanted = FindMember(spec, field);
    bool empty = wanted == nullptr || (wanted->IsString() && wanted->GetStringLength() == 0) ||
                 (wanted->IsArray() && wanted->Empty());
    if (value == nullptr || !empty || (field == "loadBalancerIP" && !both_balancers)) continue;
    SetMember(spec, field, rapidjson::Value(*value, allocator), allocator);
  }
  return service;
}

}  // namespace mm
