#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>

#include "core/result.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/client.h"
#include "kubeapi/clock.h"
#include "plugin/engine/engine.h"

namespace mm::engine {

// Where a wait ends and how it learns about time.
struct WaitOptions {
  kubeapi::Clock* clock = nullptr;  // null: the real clock
  kubeapi::Clock::TimePoint deadline;
  const kubeapi::CancellationToken* cancel = nullptr;
  std::string timeout_text;  // "10m", for the timeout message
  // WaitUntilStable calls it with every version of the Mattermost it sees (progress display).
  std::function<void(const rapidjson::Value& mattermost)> on_update;
};

// Client-side mode's --wait: runs reconcile passes of `namespace_name`/`name` until the
// provisioner's stable test holds (generation observed, state stable), calling `on_pass` after
// each. Between passes it sleeps one second instead of the operator's 6 s / 10 s requeue, so a
// user waits no longer than needed (a pass with nothing to do makes no writes). Returns the last
// pass. Fails with kTimeout at the deadline ("timed out after <timeout> waiting for Mattermost
// <ns>/<name> to become stable: <what it waits for>"), kInterrupted on cancel, or a pass' error.
Result<PassResult> ReconcileUntilStable(kubeapi::Client& client, const std::string& namespace_name,
                                        const std::string& name, const WaitOptions& options,
                                        const std::function<void(const PassResult&)>& on_pass);

// Operator mode's --wait: watches the Mattermost (no polling) until the stable test holds.
// Returns it; fails like ReconcileUntilStable.
Result<rapidjson::Document> WaitUntilStable(kubeapi::Client& client,
                                            const std::string& namespace_name,
                                            const std::string& name, const WaitOptions& options);

}  // namespace mm::engine
