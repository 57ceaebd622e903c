#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mm {

// The steps of an upgrade as the user follows them (issue 8): update job created, its pod
// running, job succeeded, rollout, stable; or the job failed.
enum class UpgradeStep {
  kWaitingForJob,  // the Deployment still runs the old image and no job for the new one exists
  kJobCreated,     // the job exists, its pod has not started
  kJobRunning,     // a pod of the job runs (its log streams)
  kJobSucceeded,   // the job succeeded; the Deployment is about to roll
  kJobFailed,      // the job failed: the upgrade stops, the Deployment keeps the old version
  kRollingOut,     // the Deployment runs the new image; pods are being replaced
  kStable,         // every pod runs the new image and the installation is stable
};

// The live objects one progress reading looks at; pointers are owned by the caller and null
// (or empty) when the object does not exist.
struct UpgradeObservation {
  const rapidjson::Value* mattermost = nullptr;
  const rapidjson::Value* deployment = nullptr;       // Deployment <name>
  const rapidjson::Value* job = nullptr;              // Job mattermost-update-check
  std::vector<const rapidjson::Value*> job_pods;      // the job's pods
  std::vector<const rapidjson::Value*> replica_sets;  // the installation's ReplicaSets
};

struct UpgradeProgress {
  UpgradeStep step = UpgradeStep::kWaitingForJob;
  std::string detail;   // "pod mattermost-update-check-x2v9q running", "1/2 pods updated and ready"
  std::string failure;  // kJobFailed: why, in the Job's and the container's words
  int32_t updated_ready = 0;  // pods of the new ReplicaSet that are available
  int32_t desired = 0;        // spec.replicas of the Deployment
};

// Where an upgrade to `target_image` stands, from the objects alone (no history): the
// Deployment's image says whether the job phase is over; the Job's conditions (Failed=True, or
// more failed pods than backoffLimit) say it failed; the new ReplicaSet's available pods and the
// Mattermost's stable test say how far the rollout is.
UpgradeProgress ReadUpgradeProgress(const UpgradeObservation& observed,
                                    const std::string& target_image);

// The words for a step: "update job created", "update job running", ...
std::string UpgradeStepName(UpgradeStep step);

}  // namespace mm
