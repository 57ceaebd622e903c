#pragma once

#include <rapidjson/document.h>

#include <string>

#include "core/mattermost/mattermost.h"
#include "core/result.h"

namespace mm {

// The update (migration) Job's fixed name: one per namespace, as in the operator (§5).
inline constexpr char kUpdateJobName[] = "mattermost-update-check";
// The operator's reconcile error (status.error) for a failed update Job (§5 step 4).
inline constexpr char kUpdateJobFailedError[] = "update image job failed";

// Returns the image of the container named `mattermost` in a Deployment or Job (its pod
// template). Fails with kInvalid when there is no such container.
Result<std::string> AppContainerImage(const rapidjson::Value& workload);

// True when rolling `desired_deployment` out must wait for the update Job: the `mattermost`
// image differs from `live_deployment`'s and spec.updateJob.disabled is false (§4, §5). Fails
// when either object has no `mattermost` container.
Result<bool> UpdateJobNeeded(const Mattermost& mattermost,
                             const rapidjson::Value& desired_deployment,
                             const rapidjson::Value& live_deployment);

// The Job `mattermost-update-check` for `desired_deployment` (§5): the pod spec copied, without
// `init-wait-for-db-setup`, the `mattermost` container without probes and with args
// [db, migrate], restartPolicy Never, backoffLimit 10, pod labels updateJob.extraLabels +
// app=mattermost-update-check, pod annotations updateJob.extraAnnotations, the Mattermost's
// controller owner reference.
rapidjson::Document BuildUpdateJob(const Mattermost& mattermost,
                                   const rapidjson::Value& desired_deployment);

// What a live update Job says.
enum class UpdateJobState {
  kOutdated,   // it runs another image: delete it and start a new one
  kRunning,    // neither complete nor failed yet
  kSucceeded,  // condition Complete=True: the Deployment may roll out
  kFailed,     // condition Failed=True (backoff exhausted, deadline): the upgrade failed
};

// Reads `job`'s state for `desired_image`. QUIRKS fixed on purpose (core/QUIRKS.md): the
// operator waits for completionTime only, so a Job that exhausted its backoff looks "running"
// forever; and it treats a success after one failed pod as a failure. We read the Job's
// conditions: Failed=True is a failure, Complete=True (or completionTime) a success.
UpdateJobState ReadUpdateJob(const rapidjson::Value& job, const std::string& desired_image);

}  // namespace mm
