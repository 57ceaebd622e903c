#pragma once

#include <string>

#include "core/mattermost/reconcile.h"
#include "core/result.h"
#include "kubeapi/client.h"

namespace mm::engine {

// Executes `plan`'s actions in order in `namespace_name` (the operator's dependency order):
// create and update are server-side applies with force by field manager kubectl-mattermost
// (the operator's full PUT also overwrote every field it sets); delete and the update Job's
// delete use propagation Background and tolerate NotFound; recreate deletes, then applies; a
// refuse action does nothing (the plan carries the error). Adds the number of writes to
// `writes`. Stops at the first failure, returning the API error prefixed with the action
// ("apply Deployment demo: ...").
Result<void> ExecutePlan(kubeapi::Client& client, const std::string& namespace_name,
                         const Plan& plan, int& writes);

// Returns "create", "update", "delete", "recreate", "create update job", "delete update job" or
// "refuse".
std::string ActionVerb(ActionType type);

// The plan as the lines `--dry-run` prints, e.g. "create Service demo (not found)", then
// "status: reconciling (requeue after 6s: deployment not found)".
std::string FormatPlan(const Plan& plan);

}  // namespace mm::engine
