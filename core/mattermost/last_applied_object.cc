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
using Action = JsonEdit::Action;

// The edits (json_edit.h) that turn a child as we build it into the object the operator's Go
// generator builds and objectmatcher records, or (Part::kEmptyStructs) only into what Go sends.
class RecordShape {
 public:
  enum class Part { kEmptyStructs, kRecord };

  RecordShape(const rapidjson::Value& object, Part part, std::string_view mattermost_namespace) {
    std::string_view kind = StringMember(object, "kind");
    bool record = part == Part::kRecord;
    if (kind == "Deployment" || kind == "Job") {
      // `resources: {}` on every container (Go's ResourceRequirements is never omitted); and
      // objectmatcher writes the Deployment's IntOrString 0 as null, which is then cleaned away.
      spec_[spec_size_++] = {"template", Action::kObject, pod_template_};
      if (kind == "Deployment" && record) {
        spec_[spec_size_++] = {"strategy", Action::kInObject, strategy_};
      }
    } else if (kind == "PersistentVolumeClaim") {
      spec_[spec_size_++] = {"resources", Action::kObject};
    } else if (kind == "MysqlCluster") {
      spec_[spec_size_++] = {"podSpec", Action::kObject, mysql_pod_};
    } else if (kind == "MinIOInstance") {
      spec_[spec_size_++] = {"resources", Action::kObject};
      spec_[spec_size_++] = {"volumeClaimTemplate", Action::kInObject, status_};
    }
    if (spec_size_ > 0) Add({"spec", Action::kObject, {spec_, spec_size_}});
    if (!record) return;
    Add({"apiVersion", Action::kRemove});  // the generators leave TypeMeta empty
    Add({"kind", Action::kRemove});
    Status(kind);
    const rapidjson::Value* metadata = FindMember(object, "metadata");
    std::string_view name = metadata ? StringMember(*metadata, "name") : std::string_view();
    bool owner_set_at_creation = kind == "PersistentVolumeClaim" || kind == "Job" ||
                                 (kind == "Secret" && name.ends_with("-mysql-root-password"));
    if (owner_set_at_creation) metadata_[metadata_size_++] = {"ownerReferences", Action::kRemove};
    if (kind == "IngressClass") {
      metadata_[metadata_size_++] = {"namespace", Action::kString, {}, mattermost_namespace};
    }
    Add({"metadata", Action::kObject, {metadata_, metadata_size_}});
    if (kind == "RoleBinding") Add({"roleRef", Action::kInObject, role_ref_});
  }
  RecordShape(const RecordShape&) = delete;
  RecordShape& operator=(const RecordShape&) = delete;

  std::span<const JsonEdit> edits() const { return {top_, top_size_}; }

 private:
  static std::string_view StringMember(const rapidjson::Value& object, std::string_view name) {
    const rapidjson::Value* value = FindMember(object, name);
    return value && value->IsString()
               ? std::string_view(value->GetString(), value->GetStringLength())
               : std::string_view();
  }

  void Add(JsonEdit edit) { top_[top_size_++] = edit; }

  // The top-level status Go writes for the kinds that have one (all fields omitempty but MinIO's).
  void Status(std::string_view kind) {
    if (kind == "Deployment" || kind == "Job" || kind == "PersistentVolumeClaim" ||
        kind == "MysqlCluster") {
      Add({"status", Action::kObject});
    } else if (kind == "Service" || kind == "Ingress") {
      Add({"status", Action::kObject, load_balancer_});
    } else if (kind == "MinIOInstance") {
      Add({"status", Action::kObject, available_replicas_});
    }
  }

  const JsonEdit resources_[1] = {{"resources", Action::kObject}};
  const JsonEdit containers_[2] = {{"initContainers", Action::kEachObject, resources_},
                                   {"containers", Action::kEachObject, resources_}};
  const JsonEdit pod_template_[1] = {{"spec", Action::kObject, containers_}};
  const JsonEdit zero_surge_[2] = {{"maxUnavailable", Action::kRemoveZero},
                                   {"maxSurge", Action::kRemoveZero}};
  const JsonEdit strategy_[1] = {{"rollingUpdate", Action::kInObject, zero_surge_}};
  const JsonEdit mysql_pod_[3] = {{"resources", Action::kObject},
                                  {"metricsExporterResources", Action::kObject},
                                  {"mysqlOperatorSidecarResources", Action::kObject}};
  const JsonEdit status_[1] = {{"status", Action::kObject}};
  const JsonEdit load_balancer_[1] = {{"loadBalancer", Action::kObject}};
  const JsonEdit available_replicas_[1] = {{"availableReplicas", Action::kZeroIfAbsent}};
  const JsonEdit last_applied_[1] = {{kLastAppliedAnnotation, Action::kRemove}};
  const JsonEdit role_ref_[1] = {{"apiGroup", Action::kRemove}};
  JsonEdit spec_[2];
  size_t spec_size_ = 0;
  JsonEdit metadata_[3] = {{"annotations", Action::kPruneEmptied, last_applied_}};
  size_t metadata_size_ = 1;
  JsonEdit top_[7];
  size_t top_size_ = 0;
};

}  // namespace

std::string OperatorLastAppliedDocument(const rapidjson::Value& object,
                                        std::string_view mattermost_namespace) {
  RecordShape shape(object, RecordShape::Part::kRecord, mattermost_namespace);
  return GoCanonicalJson(object, shape.edits());
}

rapidjson::Document OperatorRecordObject(const rapidjson::Value& object,
                                         std::string_view mattermost_namespace,
                                         Allocator* allocator) {
  rapidjson::Document record(allocator);
  CopyStructureInto(record, object);
  RecordShape shape(object, RecordShape::Part::kRecord, mattermost_namespace);
  ApplyJsonEdits(record, shape.edits(), record.GetAllocator());
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
  RecordShape shape(object, RecordShape::Part::kEmptyStructs, "");
  ApplyJsonEdits(*written, shape.edits(), allocator);
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
  CopyStructureInto(service, desired);
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
