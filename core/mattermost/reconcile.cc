#include "core/mattermost/reconcile.h"

#include "core/json.h"
#include "core/last_applied.h"
#include "core/mattermost/last_applied_object.h"
#include "core/mattermost/operator_resources.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/update_job.h"
#include "core/three_way_diff.h"

namespace mm {
namespace {

constexpr int kUpdateJobRequeueSeconds = 10;
constexpr int kHealthRequeueSeconds = 6;

// Sets `key` to ObjectKey(kind, name), reusing its storage.
void AssignObjectKey(std::string& key, std::string_view kind, std::string_view name) {
  key.assign(kind).append(1, '/').append(name);
}

bool OwnedBy(const rapidjson::Value& live, const Mattermost& mattermost) {
  const rapidjson::Value* metadata = FindMember(live, "metadata");
  const rapidjson::Value* owners = metadata ? FindMember(*metadata, "ownerReferences") : nullptr;
  if (owners == nullptr || !owners->IsArray()) return false;
  for (const rapidjson::Value& owner : owners->GetArray()) {
    std::string_view uid = GetStringView(owner, "uid");
    if (GetStringView(owner, "kind") == kMattermostKind &&
        GetStringView(owner, "name") == mattermost.name &&
        (uid.empty() || mattermost.uid.empty() || uid == mattermost.uid)) {
      return true;
    }
  }
  return false;
}

// The Service's spec.type, owned by `service`.
std::string_view ServiceType(const rapidjson::Value& service) {
  const rapidjson::Value* spec = FindMember(service, "spec");
  return spec ? GetStringView(*spec, "type") : "";
}

// Where `live` must change to become `desired`, compared as the operator's objectmatcher does
// with the last-applied document `live` records (ThreeWayDifference); `record` is the document the
// operator would write for `desired`, of kind `kind`, in `mattermost_namespace`. When the live
// record is that one (the steady state: same CRC-32 and size, read from the end of the
// annotation), nothing is decoded, and the comparison needs the record's object only when it adds
// members of its own (RecordAddsMembers). An annotation that cannot be read counts as absent (the
// operator would fail the reconcile instead); the update that follows rewrites it. Records are
// built and parsed into `pool`.
std::optional<std::string> Difference(std::string_view record, std::string_view kind,
                                      std::string_view mattermost_namespace,
                                      const rapidjson::Value& desired, const rapidjson::Value& live,
                                      rapidjson::Document::AllocatorType& pool) {
  std::optional<ZipEntrySummary> recorded_summary = PeekLastApplied(live);
  if (recorded_summary && *recorded_summary == SummaryOf(record)) {
    if (!RecordAddsMembers(kind)) return ThreeWayDifference(nullptr, desired, live);
    rapidjson::Document object = OperatorRecordObject(desired, mattermost_namespace, &pool);
    return ThreeWayDifference(&object, desired, live);
  }
  auto recorded = ReadLastApplied(live, &pool);
  const rapidjson::Value* original = recorded.ok() && recorded->has_value() ? &**recorded : nullptr;
  return ThreeWayDifference(original, desired, live);
}

class Planner {
 public:
  Planner(const Mattermost& mattermost, const ObservedState& observed)
      : mattermost_(mattermost), observed_(observed) {}

  // Plans one child; returns false when the reconcile stops here.
  bool Child(const DesiredChild& child) {
    const rapidjson::Value* live = Live(child);
    if (!child.object) {
      if (live != nullptr && OwnedBy(*live, mattermost_)) Add(ActionType::kDelete, child, "");
      return true;
    }
    if (live == nullptr) return Add(ActionType::kCreate, child, "not found");
    if (child.create_only) return true;  // the generated MySQL secret is never rewritten
    if (!OwnedBy(*live, mattermost_)) {
      std::string what = child.kind + " \"" + child.name + "\"";
      Add(ActionType::kRefuse, child,
          what + " exists and is not owned by Mattermost \"" + mattermost_.name + "\"");
      plan_.error = plan_.actions.back().reason;
      return false;
    }
    if (child.kind == "Service") {
      std::string_view live_type = ServiceType(*live);
      std::string_view desired_type = ServiceType(*child.object);
      if (!live_type.empty() && live_type != desired_type) {
        return Add(ActionType::kRecreate, child,
                   "type " + std::string(live_type) + " -> " + std::string(desired_type));
      }
    }
    if (child.kind == "Deployment" && child.name == mattermost_.name) {
      auto needed = UpdateJobNeeded(mattermost_, *child.object, *live);
      if (!needed) return Fail(needed.error().message());
      if (*needed) return UpdateJobGate(child);
    }
    if (child.kind == "Service") {
      // The operator compares and writes the Service with the live addresses filled in (a small
      // copy: into a stack buffer, not a 64 KiB pool).
      char buffer[4 << 10];
      rapidjson::Document::AllocatorType pool(buffer, sizeof buffer, sizeof buffer);
      Compare(child, WithLiveServiceAddresses(*child.object, *live, &pool), *live);
    } else if (child.keep_live_data) {  // §3.10: the MinIO secret
      std::optional<rapidjson::Document> kept = WithLiveSecretData(*child.object, *live);
      Compare(child, kept ? *kept : *child.object, *live);
    } else {
      Compare(child, *child.object, *live);
    }
    return true;
  }

  void Health() {
    HealthResult health = CheckHealth(mattermost_, observed_.health, observed_.status);
    plan_.status = health.status;
    if (!health.healthy) Wait(kHealthRequeueSeconds, health.reason);
  }

  Plan& plan() { return plan_; }

 private:
  // The live object of `child`, or null. Its ObjectKey is written into a buffer kept from child
  // to child: keys such as "ServiceAccount/chat" are too long for a string's inline storage.
  const rapidjson::Value* Live(const DesiredChild& child) {
    AssignObjectKey(key_, child.kind, child.name);
    auto found = observed_.objects.find(key_);
    return found == observed_.objects.end() ? nullptr : found->second;
  }

  // Every object we write carries the last-applied record the operator would write.
  bool Add(ActionType type, const DesiredChild& child, std::string reason) {
    bool written = child.object && type != ActionType::kDelete && type != ActionType::kRefuse;
    return Push(type, child, std::move(reason),
                written ? WithLastApplied(*child.object, mattermost_.namespace_) : child.object);
  }

  // Updates `live` to `object` (the child as the operator compares it) where they differ. The
  // record is built once, for the comparison and for the update.
  void Compare(const DesiredChild& child, const rapidjson::Value& object,
               const rapidjson::Value& live) {
    // Records are built and read on every comparison: into a stack buffer, not a 64 KiB pool.
    char buffer[16 << 10];
    rapidjson::Document::AllocatorType pool(buffer, sizeof buffer, sizeof buffer);
    std::string record = OperatorLastAppliedDocument(object, mattermost_.namespace_);
    if (auto difference =
            Difference(record, child.kind, mattermost_.namespace_, object, live, pool)) {
      Push(ActionType::kUpdate, child, std::move(*difference),
           WithLastAppliedDocument(object, record));
    }
  }

  bool Push(ActionType type, const DesiredChild& child, std::string reason,
            std::shared_ptr<const rapidjson::Document> object) {
    plan_.actions.push_back(
        {type, child.api_version, child.kind, child.name, std::move(object), std::move(reason)});
    return true;
  }

  bool Fail(std::string error) {
    plan_.error = std::move(error);
    return false;
  }

  bool Wait(int seconds, std::string what) {
    plan_.requeue_after_seconds = seconds;
    plan_.waiting_for = std::move(what);
    return false;
  }

  void JobAction(ActionType type, std::shared_ptr<const rapidjson::Document> job) {
    plan_.actions.push_back({type, "batch/v1", "Job", kUpdateJobName, std::move(job), ""});
  }

  // §5: an image change rolls out only after the update Job succeeded.
  bool UpdateJobGate(const DesiredChild& child) {
    std::string image = AppContainerImage(*child.object).value();
    auto job = [&] {
      return WithLastApplied(BuildUpdateJob(mattermost_, *child.object), mattermost_.namespace_);
    };
    if (observed_.update_job == nullptr) {
      JobAction(ActionType::kCreateUpdateJob, job());
      return Wait(kUpdateJobRequeueSeconds, "update job to start");
    }
    switch (ReadUpdateJob(*observed_.update_job, image)) {
      case UpdateJobState::kOutdated:
        JobAction(ActionType::kDeleteUpdateJob, nullptr);
        JobAction(ActionType::kCreateUpdateJob, job());
        return Wait(kUpdateJobRequeueSeconds, "update job restarted for " + image);
      case UpdateJobState::kRunning:
        return Wait(kUpdateJobRequeueSeconds, "update job to finish");
      case UpdateJobState::kFailed:
        JobAction(ActionType::kDeleteUpdateJob, nullptr);
        return Fail(kUpdateJobFailedError);
      case UpdateJobState::kSucceeded:
        Add(ActionType::kUpdate, child, "image -> " + image);
        JobAction(ActionType::kDeleteUpdateJob, nullptr);
        return true;
    }
    return true;
  }

  const Mattermost& mattermost_;
  const ObservedState& observed_;
  Plan plan_;
  std::string key_;  // Live's buffer
};

}  // namespace

std::string ObjectKey(const std::string& kind, const std::string& name) {
  std::string key;
  AssignObjectKey(key, kind, name);
  return key;
}

Plan Reconcile(const Mattermost& mattermost, const DesiredState& desired,
               const ObservedState& observed) {
  Planner planner(mattermost, observed);
  Plan& plan = planner.plan();
  plan.status = observed.status;
  plan.status.observed_generation = mattermost.generation;
  if (desired.error.empty()) {
    plan.status.service_patch = desired.service_patch;
    plan.status.deployment_patch = desired.deployment_patch;
  }
  for (const DesiredChild& child : desired.children) {
    if (!planner.Child(child)) {
      plan.status.state = "reconciling";
      if (!plan.error.empty()) plan.status.error = plan.error;
      return std::move(plan);
    }
  }
  if (!desired.error.empty()) {  // the operator's reconcile stops after these children
    plan.error = desired.error;
    plan.act_then_fail = true;
    plan.status.state = "reconciling";
    plan.status.error = desired.error;
    return std::move(plan);
  }
  // The health check builds a fresh status; the patch outcomes of this reconcile are kept.
  std::optional<PatchStatus> service_patch = plan.status.service_patch;
  std::optional<PatchStatus> deployment_patch = plan.status.deployment_patch;
  planner.Health();
  plan.status.service_patch = std::move(service_patch);
  plan.status.deployment_patch = std::move(deployment_patch);
  return std::move(plan);
}

}  // namespace mm
