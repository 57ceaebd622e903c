#include "plugin/engine/operator_detect.h"

#include "core/json.h"

namespace mm::engine {

Result<bool> OperatorAvailable(kubeapi::Client& client) {
  const kubeapi::ResourceMapping* mapping = kubeapi::BuiltinMapping("apps/v1", "Deployment");
  auto deployment = client.rest().Get(*mapping, kOperatorNamespace, kOperatorDeployment);
  if (!deployment) {
    if (IsNotFound(deployment.error()) || IsForbidden(deployment.error())) return false;
    return std::move(deployment).error();
  }
  const rapidjson::Value* status = FindMember(*deployment, "status");
  const rapidjson::Value* conditions = status ? FindMember(*status, "conditions") : nullptr;
  if (conditions == nullptr || !conditions->IsArray()) return false;
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "type") == "Available") {
      return GetString(condition, "status") == "True";
    }
  }
  return false;
}

Error OperatorRunningError() {
  return Error::Invalid(
      "the Mattermost operator is running (deployment " + std::string(kOperatorNamespace) + "/" +
      kOperatorDeployment +
      " is available): it reconciles installations, so client-side mode refuses to act; use "
      "--mode operator (or auto), or uninstall the operator first");
}

}  // namespace mm::engine
