#include "plugin/engine/execute.h"

#include "plugin/engine/engine.h"

namespace mm::engine {
namespace {

Result<void> Apply(kubeapi::Client& client, const kubeapi::ResourceMapping& mapping,
                   const std::string& namespace_name, const rapidjson::Value& object) {
  auto applied = client.rest().Apply(mapping, namespace_name, object,
                                     {.field_manager = kFieldManager, .force = true});
  if (!applied) return std::move(applied).error();
  return {};
}

Result<void> Delete(kubeapi::Client& client, const kubeapi::ResourceMapping& mapping,
                    const std::string& namespace_name, const std::string& name) {
  auto deleted =
      client.rest().Delete(mapping, namespace_name, name, {.propagation_policy = "Background"});
  if (!deleted && !IsNotFound(deleted.error())) return std::move(deleted).error();
  return {};
}

Result<void> Execute(kubeapi::Client& client, const std::string& namespace_name,
                     const Action& action, int& writes) {
  if (action.type == ActionType::kRefuse) return {};
  auto mapping = client.mapper().Mapping(action.api_version, action.kind);
  if (!mapping) return std::move(mapping).error();
  std::string ns = mapping->namespaced ? namespace_name : "";
  switch (action.type) {
    case ActionType::kCreate:
    case ActionType::kUpdate:
    case ActionType::kCreateUpdateJob:
      ++writes;
      return Apply(client, *mapping, ns, *action.object);
    case ActionType::kDelete:
    case ActionType::kDeleteUpdateJob:
      ++writes;
      return Delete(client, *mapping, ns, action.name);
    case ActionType::kRecreate:
      writes += 2;
      MM_RETURN_IF_ERROR(Delete(client, *mapping, ns, action.name));
      return Apply(client, *mapping, ns, *action.object);
    case ActionType::kRefuse:
      break;
  }
  return {};
}

}  // namespace

std::string ActionVerb(ActionType type) {
  switch (type) {
    case ActionType::kCreate:
      return "create";
    case ActionType::kUpdate:
      return "update";
    case ActionType::kDelete:
      return "delete";
    case ActionType::kRecreate:
      return "recreate";
    case ActionType::kCreateUpdateJob:
      return "create update job";
    case ActionType::kDeleteUpdateJob:
      return "delete update job";
    case ActionType::kRefuse:
      return "refuse";
  }
  return "";
}

Result<void> ExecutePlan(kubeapi::Client& client, const std::string& namespace_name,
                         const Plan& plan, int& writes) {
  for (const Action& action : plan.actions) {
    if (auto done = Execute(client, namespace_name, action, writes); !done) {
      return done.error().Wrap(ActionVerb(action.type) + " " + action.kind + " " + action.name);
    }
  }
  return {};
}

std::string FormatPlan(const Plan& plan) {
  std::string text;
  for (const Action& action : plan.actions) {
    text += ActionVerb(action.type) + " " + action.kind + " " + action.name;
    if (!action.reason.empty()) text += " (" + action.reason + ")";
    text += "\n";
  }
  if (plan.actions.empty()) text += "no changes to child objects\n";
  text += "status: " + (plan.status.state.empty() ? "<none>" : plan.status.state);
  if (!plan.error.empty()) text += " (error: " + plan.error + ")";
  if (plan.requeue_after_seconds) {
    text += " (requeue after " + std::to_string(*plan.requeue_after_seconds) +
            "s: " + plan.waiting_for + ")";
  }
  return text + "\n";
}

}  // namespace mm::engine
