#include "plugin/install/installer.h"

#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/render.h"
#include "core/mattermost/status.h"
#include "kubeapi/base64.h"
#include "kubeapi/clock.h"
#include "kubeapi/watch.h"
#include "plugin/engine/engine.h"
#include "plugin/engine/execute.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/engine/wait.h"
#include "plugin/install/install_command.h"
#include "plugin/install/mattermost_crd.h"
#include "plugin/interrupt.h"
#include "plugin/progress.h"

namespace mm {
namespace {

// What --wait waits for, e.g. `Waiting for Mattermost "demo" (state reconciling): 0/2 updated
// pods available; replicaSet did not start rolling pods`.
std::string StableProgress(const rapidjson::Value& mattermost, const std::string& why) {
  MattermostStatus status = ReadMattermostStatus(mattermost);
  const rapidjson::Value* spec = FindMember(mattermost, "spec");
  const rapidjson::Value* replicas = spec ? FindMember(*spec, "replicas") : nullptr;
  int want = replicas != nullptr && replicas->IsInt() ? replicas->GetInt() : 1;
  const rapidjson::Value* metadata = FindMember(mattermost, "metadata");
  std::string text = "Waiting for Mattermost \"" +
                     (metadata ? GetString(*metadata, "name") : std::string()) + "\" (state " +
                     (status.state.empty() ? "none yet" : status.state) +
                     "): " + std::to_string(status.updated_replicas) + "/" + std::to_string(want) +
                     " updated pods available";
  return why.empty() ? text : text + "; " + why;
}

// True when `a` and `b` declare the same installation: spec, labels and annotations.
bool SameDeclaration(const rapidjson::Value& a, const rapidjson::Value& b) {
  auto same = [&](std::initializer_list<std::string_view> path) {
    const rapidjson::Value* x = FindPath(a, path);
    const rapidjson::Value* y = FindPath(b, path);
    return x == nullptr || y == nullptr ? x == y : *x == *y;
  };
  return same({"spec"}) && same({"metadata", "labels"}) && same({"metadata", "annotations"});
}

const kubeapi::ResourceMapping& Builtin(const char* api_version, const char* kind) {
  return *kubeapi::BuiltinMapping(api_version, kind);
}

class Installer {
 public:
  Installer(kubeapi::Client& client, InstallPlan& plan, IOStreams& streams)
      : client_(client), plan_(plan), streams_(streams) {
    const rapidjson::Value& metadata = plan.resource["metadata"];
    name_ = GetString(metadata, "name");
    namespace_ = GetString(metadata, "namespace");
    dry_run_ = plan.dry_run != "none";
  }

  Result<void> Run() {
    if (plan_.wait) interrupt_.emplace();  // Ctrl-C ends the wait (exit 130); before any thread
    MM_RETURN_IF_ERROR(ResolveMode());
    auto namespace_exists = CheckNamespace();
    if (!namespace_exists) return std::move(namespace_exists).error();
    if (*namespace_exists) MM_RETURN_IF_ERROR(CheckSecrets());
    if (client_mode_) {
      MM_RETURN_IF_ERROR(EnsureMattermostCrd(client_, dry_run_, streams_.err));
    }
    if (dry_run_) return DryRun(*namespace_exists);
    if (!*namespace_exists) MM_RETURN_IF_ERROR(CreateNamespace());
    for (const FileSecret& secret : plan_.secrets) MM_RETURN_IF_ERROR(ApplySecret(secret));
    MM_RETURN_IF_ERROR(ApplyResource());
    if (client_mode_) {
      MM_RETURN_IF_ERROR(ReconcileClientSide());
    } else if (plan_.wait) {
      streams_.err << "waiting for the operator to make Mattermost " << namespace_ << "/" << name_
                   << " stable\n";
      Progress progress(streams_);
      engine::WaitOptions options = WaitSettings();
      options.on_update = [&](const rapidjson::Value& mattermost) {
        progress.Update(StableProgress(mattermost, ""));
      };
      auto stable = engine::WaitUntilStable(client_, namespace_, name_, options);
      progress.Finish();
      if (!stable) return std::move(stable).error();
      final_ = std::move(*stable);
    }
    return Print();
  }

 private:
  Result<void> ResolveMode() {
    auto running = engine::FindAvailableOperator(client_);
    if (!running) return std::move(running).error();
    bool operator_available = running->has_value();
    switch (plan_.mode) {
      case InstallMode::kClient:
        if (operator_available) return engine::OperatorRunningError(**running);
        client_mode_ = true;
        break;
      case InstallMode::kOperator:
        if (!operator_available) {
          return Error::Invalid(
              "--mode operator: the Mattermost operator is not available (deployment "
              "mattermost-operator/mattermost-operator); install it with 'kubectl mattermost "
              "install operator' or use --mode client");
        }
        break;
      case InstallMode::kAuto:
        client_mode_ = !operator_available;
        break;
    }
    streams_.err << "mode: " << (client_mode_ ? "client-side (no operator is running)" : "operator")
                 << "\n";
    return {};
  }

  Result<bool> CheckNamespace() {
    auto found = client_.rest().Get(Builtin("v1", "Namespace"), "", namespace_);
    if (found) return true;
    if (!IsNotFound(found.error())) return std::move(found).error();
    if (!plan_.create_namespace) {
      return Error::Invalid("namespace \"" + namespace_ +
                            "\" not found (create it, or pass --create-namespace)");
    }
    return false;
  }

  Result<void> CheckSecrets() {
    for (const RequiredSecret& required : plan_.required_secrets) {
      auto secret = client_.rest().Get(Builtin("v1", "Secret"), namespace_, required.name);
      if (!secret && IsNotFound(secret.error())) {
        return Error::Invalid(required.what + " secret \"" + required.name +
                              "\" not found in namespace \"" + namespace_ + "\"");
      }
      if (!secret) return std::move(secret).error();
      if (!required.key.empty() && !SecretKeys(*secret).contains(required.key)) {
        return Error::Invalid(required.what + " secret \"" + required.name + "\" has no key " +
                              required.key);
      }
    }
    return {};
  }

  Result<void> CreateNamespace() {
    rapidjson::Document object = Json::Object({{"apiVersion", "v1"},
                                               {"kind", "Namespace"},
                                               {"metadata", Json::Object({{"name", namespace_}})}})
                                     .BuildDocument();
    auto created = client_.rest().Apply(Builtin("v1", "Namespace"), "", object, {});
    if (!created) return std::move(created).error();
    streams_.err << "namespace/" << namespace_ << " created\n";
    return {};
  }

  Result<void> ApplySecret(const FileSecret& secret) {
    rapidjson::Document object =
        Json::Object(
            {{"apiVersion", "v1"},
             {"kind", "Secret"},
             {"metadata", Json::Object({{"name", secret.name}, {"namespace", namespace_}})},
             {"type", "Opaque"},
             {"data", Json::Object({{secret.key, kubeapi::Base64Encode(secret.value.Reveal())}})}})
            .BuildDocument();
    auto applied = client_.rest().Apply(Builtin("v1", "Secret"), namespace_, object,
                                        {.field_manager = engine::kFieldManager, .force = true});
    if (!applied) return std::move(applied).error();
    streams_.err << "secret/" << secret.name << " applied\n";
    return {};
  }

  Result<void> ApplyResource() {
    auto mapping = client_.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
    if (!mapping) return std::move(mapping).error();
    auto applied = client_.rest().Apply(*mapping, namespace_, plan_.resource,
                                        {.field_manager = engine::kFieldManager, .force = true});
    if (!applied) return std::move(applied).error();
    if (!plan_.live) {
      verb_ = "created";
    } else {
      // Taking over a field another manager set (upgrade's version) writes managedFields only.
      verb_ = SameDeclaration(*plan_.live, *applied) ? "unchanged" : "configured";
    }
    final_ = std::move(*applied);
    return {};
  }

  Result<void> ReconcileClientSide() {
    Progress progress(streams_);
    auto report = [&](const engine::PassResult& pass) {
      if (!pass.plan.actions.empty() || !pass.plan.error.empty()) progress.Finish();
      for (const Action& action : pass.plan.actions) {
        streams_.err << "  " << engine::ActionVerb(action.type) << " " << action.kind << " "
                     << action.name << "\n";
      }
      if (!pass.plan.error.empty()) streams_.err << "  error: " << pass.plan.error << "\n";
      writes_ += pass.writes;
      if (plan_.wait && !IsStable(*pass.mattermost)) {
        progress.Update(StableProgress(*pass.mattermost, pass.plan.waiting_for));
      }
    };
    streams_.err << "reconciling Mattermost " << namespace_ << "/" << name_ << " client-side\n";
    Result<engine::PassResult> pass =
        plan_.wait
            ? engine::ReconcileUntilStable(client_, namespace_, name_, WaitSettings(), report)
            : engine::ReconcileOnce(client_, namespace_, name_, {});
    if (!pass) return std::move(pass).error();
    progress.Finish();
    if (!plan_.wait) report(*pass);
    if (!pass->plan.error.empty()) return Error::Invalid(pass->plan.error);
    final_.CopyFrom(*pass->mattermost, final_.GetAllocator());
    streams_.err << "state: " << ReadMattermostStatus(final_).state
                 << (writes_ == 0 ? " (nothing to change)" : "") << "\n";
    return {};
  }

  // Prints what would happen. The server validates the resource (server dry run) and the plan is
  // computed only when the CRD is served and the namespace exists.
  Result<void> DryRun(bool namespace_exists) {
    std::string suffix = plan_.dry_run == "server" ? " (server dry run)" : " (dry run)";
    auto mapping = client_.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
    bool served = namespace_exists && mapping.ok();
    if (plan_.dry_run == "server" && served) {
      auto applied = client_.rest().Apply(
          *mapping, namespace_, plan_.resource,
          {.field_manager = engine::kFieldManager, .force = true, .dry_run = true});
      if (!applied) return std::move(applied).error();
    }
    if (client_mode_ && served) {
      auto pass = engine::ReconcileOnce(client_, namespace_, name_,
                                        {.dry_run = true, .resource = &plan_.resource});
      if (!pass) return std::move(pass).error();
      streams_.err << "client-side reconcile would:\n" << engine::FormatPlan(pass->plan);
    }
    final_.CopyFrom(plan_.resource, final_.GetAllocator());
    verb_ = "applied" + suffix;
    return Print();
  }

  Result<void> Print() {
    if (plan_.format == OutputFormat::kJson || plan_.format == OutputFormat::kYaml) {
      PrintStructured(final_, plan_.format, streams_.out);
    } else {
      streams_.out << "mattermost.installation.mattermost.com/" << name_ << " " << verb_ << "\n";
    }
    return {};
  }

  engine::WaitOptions WaitSettings() const {
    return {.deadline = kubeapi::RealClock().Now() + plan_.timeout,
            .cancel = interrupt_ ? &interrupt_->token() : nullptr,
            .timeout_text = plan_.timeout_text};
  }

  kubeapi::Client& client_;
  InstallPlan& plan_;
  IOStreams& streams_;
  std::string name_;
  std::string namespace_;
  bool dry_run_ = false;
  bool client_mode_ = false;
  std::string verb_ = "unchanged";
  int writes_ = 0;
  rapidjson::Document final_;
  std::optional<InterruptGuard> interrupt_;
};

}  // namespace

Result<void> RunInstall(kubeapi::Client& client, InstallPlan& plan, IOStreams& streams) {
  return Installer(client, plan, streams).Run();
}

}  // namespace mm
