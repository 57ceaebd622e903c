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

std::optional<std::string> FindAvailableOperator(const std::vector<SharedObject>& deployments) {
  const rapidjson::Value* elsewhere = nullptr;  // the first available one in another namespace
  for (const SharedObject& deployment : deployments) {
    const rapidjson::Value* metadata = FindMember(*deployment, "metadata");
    if (metadata == nullptr || GetString(*metadata, "name") != kOperatorDeployment) continue;
    std::string namespace_name = GetString(*metadata, "namespace");
    // As the GET first: the one in mattermost-operator decides when it exists.
    if (namespace_name == kOperatorNamespace) {
      return Available(*deployment) ? std::optional<std::string>(namespace_name) : std::nullopt;
    }
    if (elsewhere == nullptr && Available(*deployment)) elsewhere = metadata;
  }
  if (elsewhere == nullptr) return std::nullopt;
  return GetString(*elsewhere, "namespace");
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
