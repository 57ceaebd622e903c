#include "core/mattermost/upgrade_progress.h"

#include <algorithm>

#include "core/json.h"
#include "core/mattermost/status.h"
#include "core/mattermost/update_job.h"

namespace mm {
namespace {

constexpr char kRevisionAnnotation[] = "deployment.kubernetes.io/revision";

const rapidjson::Value* Condition(const rapidjson::Value& object, const char* type) {
  const rapidjson::Value* conditions = FindPath(object, {"status", "conditions"});
  if (conditions == nullptr || !conditions->IsArray()) return nullptr;
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "type") == type && GetString(condition, "status") == "True") {
      return &condition;
    }
  }
  return nullptr;
}

std::string Revision(const rapidjson::Value& object) {
  const rapidjson::Value* annotations = FindPath(object, {"metadata", "annotations"});
  return annotations ? GetString(*annotations, kRevisionAnnotation) : "";
}

// "container mattermost exited 1 (Error)" for the last failed pod of the job, or "".
std::string LastContainerFailure(const std::vector<const rapidjson::Value*>& pods) {
  std::string failure;
  std::string latest;
  for (const rapidjson::Value* pod : pods) {
    const rapidjson::Value* statuses = FindPath(*pod, {"status", "containerStatuses"});
    if (statuses == nullptr || !statuses->IsArray()) continue;
    for (const rapidjson::Value& status : statuses->GetArray()) {
      const rapidjson::Value* terminated = FindPath(status, {"state", "terminated"});
      if (terminated == nullptr || GetInt64At(*terminated, {"exitCode"}) == 0) continue;
      std::string finished = GetString(*terminated, "finishedAt");
      if (!failure.empty() && finished < latest) continue;
      latest = finished;
      failure = "container " + GetString(status, "name") + " exited " +
                std::to_string(GetInt64At(*terminated, {"exitCode"}));
      if (std::string reason = GetString(*terminated, "reason"); !reason.empty()) {
        failure += " (" + reason + ")";
      }
    }
  }
  return failure;
}

// kJobFailed's reason, or "" while the job has not failed.
std::string JobFailure(const rapidjson::Value& job,
                       const std::vector<const rapidjson::Value*>& pods) {
  std::string reason;
  if (const rapidjson::Value* failed = Condition(job, "Failed")) {
    reason = GetString(*failed, "reason");
    std::string message = GetString(*failed, "message");
    if (!message.empty()) reason += (reason.empty() ? "" : ": ") + message;
    if (reason.empty()) reason = "job failed";
  } else {
    int64_t failed_pods = GetInt64At(job, {"status", "failed"});
    int64_t backoff_limit = GetInt64At(job, {"spec", "backoffLimit"}, 6);
    if (failed_pods <= backoff_limit) return "";
    reason = std::to_string(failed_pods) + " pods failed (backoffLimit " +
             std::to_string(backoff_limit) + ")";
  }
  if (std::string container = LastContainerFailure(pods); !container.empty()) {
    reason += "; " + container;
  }
  return reason;
}

std::string Name(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata ? GetString(*metadata, "name") : "";
}

UpgradeProgress JobProgress(const UpgradeObservation& observed, const std::string& target) {
  UpgradeProgress progress;
  if (observed.job == nullptr ||
      ReadUpdateJob(*observed.job, target) == UpdateJobState::kOutdated) {
    progress.detail = "waiting for the update job";
    return progress;
  }
  const rapidjson::Value& job = *observed.job;
  if (std::string failure = JobFailure(job, observed.job_pods); !failure.empty()) {
    progress.step = UpgradeStep::kJobFailed;
    progress.failure = failure;
    progress.detail = "update job " + Name(job) + " failed";
    return progress;
  }
  if (ReadUpdateJob(job, target) == UpdateJobState::kSucceeded) {
    progress.step = UpgradeStep::kJobSucceeded;
    progress.detail = "update job " + Name(job) + " succeeded";
    return progress;
  }
  progress.step = UpgradeStep::kJobCreated;
  progress.detail = "update job " + Name(job) + " created";
  for (const rapidjson::Value* pod : observed.job_pods) {
    const rapidjson::Value* status = FindMember(*pod, "status");
    if (status != nullptr && GetString(*status, "phase") == "Running") {
      progress.step = UpgradeStep::kJobRunning;
      progress.detail = "update job pod " + Name(*pod) + " running";
    }
  }
  return progress;
}

}  // namespace

UpgradeProgress ReadUpgradeProgress(const UpgradeObservation& observed,
                                    const std::string& target_image) {
  if (observed.deployment == nullptr) return JobProgress(observed, target_image);
  auto live_image = AppContainerImage(*observed.deployment);
  if (!live_image || *live_image != target_image) return JobProgress(observed, target_image);
  const rapidjson::Value& deployment = *observed.deployment;
  UpgradeProgress progress;
  progress.step = UpgradeStep::kRollingOut;
  progress.desired = static_cast<int32_t>(GetInt64At(deployment, {"spec", "replicas"}, 1));
  std::string revision = Revision(deployment);
  bool picked_up = GetInt64At(deployment, {"metadata", "generation"}) ==
                   GetInt64At(deployment, {"status", "observedGeneration"});
  for (const rapidjson::Value* set : observed.replica_sets) {
    if (picked_up && !revision.empty() && Revision(*set) == revision) {
      progress.updated_ready =
          static_cast<int32_t>(GetInt64At(*set, {"status", "availableReplicas"}));
    }
  }
  progress.detail = "rollout: " + std::to_string(progress.updated_ready) + "/" +
                    std::to_string(progress.desired) + " pods updated and ready";
  int64_t total = GetInt64At(deployment, {"status", "replicas"});
  bool rolled =
      picked_up && progress.updated_ready == progress.desired && total == progress.desired;
  if (rolled && observed.mattermost != nullptr && IsStable(*observed.mattermost)) {
    progress.step = UpgradeStep::kStable;
  }
  return progress;
}

std::string UpgradeStepName(UpgradeStep step) {
  switch (step) {
    case UpgradeStep::kWaitingForJob:
      return "waiting for the update job";
    case UpgradeStep::kJobCreated:
      return "update job created";
    case UpgradeStep::kJobRunning:
      return "update job running";
    case UpgradeStep::kJobSucceeded:
      return "update job succeeded";
    case UpgradeStep::kJobFailed:
      return "update job failed";
    case UpgradeStep::kRollingOut:
      return "rolling out";
    case UpgradeStep::kStable:
      return "stable";
  }
  return "";
}

}  // namespace mm
