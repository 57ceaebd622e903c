#pragma once

#include <chrono>
#include <string>

#include "core/mattermost/upgrade_progress.h"
#include "core/result.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/client.h"
#include "kubeapi/clock.h"
#include "plugin/upgrade/upgrade_printer.h"

namespace mm {

// One upgrade to follow (after its spec change was applied).
struct UpgradeRun {
  std::string namespace_name;
  std::string name;
  std::string target_image;  // image reference the Deployment must end on
  bool client_mode = false;  // drive the operator's steps here (else an operator does)
  kubeapi::Clock::TimePoint deadline;
  std::string timeout_text;  // "15m", for the timeout message
  const kubeapi::CancellationToken* cancel = nullptr;
};

// Follows the upgrade until the installation is stable on the target image, watching (no
// polling) the Mattermost, its Deployment and ReplicaSets, the update Job and the Job's pods, and
// streaming the Job's log to `printer`. In client mode it also runs the reconcile passes (the
// update job, then the Deployment) whenever the objects change and at most once a second; it
// never runs a pass while the job runs, so a failed job is left in place for its logs. Returns
// the final progress: kStable, or kJobFailed as soon as the update Job failed (the Deployment
// keeps the old version; `failure` says why; the job's log tail is in `printer`). Fails with
// kTimeout at the deadline (naming what is pending), kInterrupted on cancel (after a pass
// finished: a safe point), an error of a reconcile pass, or an API error.
Result<UpgradeProgress> FollowUpgrade(kubeapi::Client& client, const UpgradeRun& run,
                                      UpgradePrinter& printer);

}  // namespace mm
