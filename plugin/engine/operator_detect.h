#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/engine/object_cache.h"

namespace mm::engine {

// Where `kubectl mattermost install operator` puts the operator, as the upstream manifest does
// (`install operator -n NS` moves it; the Deployment keeps its name).
inline constexpr char kOperatorNamespace[] = "mattermost-operator";
inline constexpr char kOperatorDeployment[] = "mattermost-operator";

// Returns the namespace of an available Mattermost operator Deployment (name
// mattermost-operator, condition Available=True), or nullopt when there is none: then the
// operator reconciles and the plugin must not. Looks in mattermost-operator first (one GET), and
// when that Deployment does not exist, in every namespace (one LIST by name). A Deployment we may
// not read or list (403) counts as no operator. Fails with other API or transport errors.
Result<std::optional<std::string>> FindAvailableOperator(kubeapi::Client& client);

// FindAvailableOperator's answer from `deployments`, the Deployments of every namespace (which
// `reconcile -A` lists anyway): the same choice, without a request.
std::optional<std::string> FindAvailableOperator(const std::vector<SharedObject>& deployments);

// Returns whether FindAvailableOperator finds one.
Result<bool> OperatorAvailable(kubeapi::Client& client);

// The error client-side commands return when an operator is running in `namespace_name`.
Error OperatorRunningError(const std::string& namespace_name = kOperatorNamespace);

}  // namespace mm::engine
