#include "plugin/engine/operator_detect.h"

#include "core/json.h"

namespace mm::engine {
namespace {

bool Available(const rapidjson::Value& deployment) {
  const rapidjson::Value* status = FindMember(deployment, "status");
  const rapidjson::Value* conditions = status ? FindMember(*status, "conditions") : nullptr;
  if (conditions == nullptr || !conditions->IsArray()) return false;
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "type") == "Available") {
      return GetString(condition, "status") == "True";
    }
  }
  return false;
}

}  // namespace

Result<std::optional<std::string>> FindAvailableOperator(kubeapi::Client& client) {
  const kubeapi::ResourceMapping* mapping = kubeapi::BuiltinMapping("apps/v1", "Deployment");
  auto deployment = client.rest().Get(*mapping, kOperatorNamespace, kOperatorDeployment);
  if (deployment) {
    if (Available(*deployment)) return std::optional<std::string>(kOperatorNamespace);
    return std::optional<std::string>();
  }
  if (IsForbidden(deployment.error())) return std::optional<std::string>();
  if (!IsNotFound(deployment.error())) return std::move(deployment).error();
  // Installed elsewhere (install operator -n NS)?
  auto list = client.rest().List(
      *mapping, "", {.field_selector = std::string("metadata.name=") + kOperatorDeployment});
  if (!list) {
    if (IsForbidden(list.error())) return std::optional<std::string>();
    return std::move(list).error();
  }
  for (const rapidjson::Value& item : (*list)["items"].GetArray()) {
    if (Available(item))
      return std::optional<std::string>(GetString(item["metadata"], "namespace"));
  }
  return std::optional<std::string>();
}

Result<bool> OperatorAvailable(kubeapi::Client& client) {
  auto found = FindAvailableOperator(client);
  if (!found) return std::move(found).error();
  return found->has_value();
}

Error OperatorRunningError(const std::string& namespace_name) {
  return Error::Invalid(
      "the Mattermost operator is running (deployment " + namespace_name + "/" +
      kOperatorDeployment +
      " is available): it reconciles installations, so client-side mode refuses to act; use "
      "--mode operator (or auto), or uninstall the operator first");
}

}  // namespace mm::engine
