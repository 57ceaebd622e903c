#pragma once

#include <string>

#include "core/result.h"
#include "kubeapi/client.h"

namespace mm::engine {

// Where `kubectl mattermost install operator` puts the operator, as the upstream manifest does.
inline constexpr char kOperatorNamespace[] = "mattermost-operator";
inline constexpr char kOperatorDeployment[] = "mattermost-operator";

// Returns true when the Mattermost operator's Deployment (mattermost-operator/mattermost-operator)
// is available (condition Available=True): then the operator reconciles and the plugin must not.
// A missing Deployment, or one we may not read (403), counts as no operator. Fails with other
// API or transport errors.
Result<bool> OperatorAvailable(kubeapi::Client& client);

// The error client-side commands return when an operator is running.
Error OperatorRunningError();

}  // namespace mm::engine
