#include "plugin/engine/wait.h"

#include "core/mattermost/parse.h"
#include "core/mattermost/status.h"
#include "kubeapi/informer.h"

namespace mm::engine {
namespace {

Error TimeoutError(const WaitOptions& options, const std::string& namespace_name,
                   const std::string& name, const std::string& waiting_for) {
  std::string message = "timed out after " + options.timeout_text + " waiting for Mattermost " +
                        namespace_name + "/" + name + " to become stable";
  if (!waiting_for.empty()) message += ": " + waiting_for;
  return Error::Timeout(message);
}

std::string WaitingFor(const PassResult& pass) {
  if (!pass.plan.error.empty()) return pass.plan.error;
  return pass.plan.waiting_for;
}

}  // namespace

Result<PassResult> ReconcileUntilStable(kubeapi::Client& client, const std::string& namespace_name,
                                        const std::string& name, const WaitOptions& options,
                                        const std::function<void(const PassResult&)>& on_pass) {
  kubeapi::Clock& clock = options.clock ? *options.clock : kubeapi::RealClock();
  while (true) {
    auto pass = ReconcileOnce(client, namespace_name, name, {});
    if (!pass) return pass;
    if (on_pass) on_pass(*pass);
    if (IsStable(*pass->mattermost)) return pass;
    if (clock.Now() >= options.deadline) {
      return TimeoutError(options, namespace_name, name, WaitingFor(*pass));
    }
    if (!clock.SleepFor(std::chrono::seconds(1), options.cancel)) {
      return Error::Interrupted("interrupted");
    }
  }
}

Result<rapidjson::Document> WaitUntilStable(kubeapi::Client& client,
                                            const std::string& namespace_name,
                                            const std::string& name, const WaitOptions& options) {
  kubeapi::Clock& clock = options.clock ? *options.clock : kubeapi::RealClock();
  auto mapping = client.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  std::string last_state;
  auto stable = kubeapi::WaitFor(
      client.rest(), *mapping, namespace_name, name,
      [&](const rapidjson::Value* object) {
        if (object == nullptr) return false;
        if (options.on_update) options.on_update(*object);
        last_state = ReadMattermostStatus(*object).state;
        return IsStable(*object);
      },
      clock, options.deadline, options.cancel);
  if (!stable && stable.error().kind() == ErrorKind::kTimeout) {
    return TimeoutError(options, namespace_name, name,
                        last_state.empty() ? "" : "state " + last_state);
  }
  return stable;
}

}  // namespace mm::engine
