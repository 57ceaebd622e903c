#include "plugin/upgrade/upgrade_command.h"

#include "core/human_duration.h"
#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/status.h"
#include "core/mattermost/update_job.h"
#include "kubeapi/duration.h"
#include "plugin/engine/engine.h"
#include "plugin/engine/execute.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/install/mattermost_resource.h"
#include "plugin/interrupt.h"
#include "plugin/terminal_width.h"
#include "plugin/upgrade/upgrade_driver.h"

namespace mm {
namespace {

constexpr char kUpgradeFieldManager[] = "kubectl-mattermost-upgrade";

std::string Annotation(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* annotations = FindPath(object, {"metadata", "annotations"});
  return annotations ? GetString(*annotations, key) : "";
}

// The version as users say it: the tag, or the digest.
std::string Shown(const std::string& version) { return version.empty() ? "(unset)" : version; }

}  // namespace

void UpgradeOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("version", "The Mattermost version (image tag or sha256: digest) to run.",
      cxxopts::value(version_));
  add("image", "The Mattermost image (default: keep the current one).", cxxopts::value(image_));
  add("wait",
      "Operator mode: follow the upgrade until stable (client-side mode always does, since the "
      "plugin does the work).",
      cxxopts::value(wait_));
  add("timeout", "How long to follow the upgrade (Go duration).", cxxopts::value(timeout_text_));
  add("allow-downtime", "Upgrade a single-replica installation (its only pod is replaced).",
      cxxopts::value(allow_downtime_));
  add("force", "Downgrade, or upgrade an installation that is not stable.", cxxopts::value(force_));
  add("rollback", "Return spec.version and spec.image to the values before the last upgrade.",
      cxxopts::value(rollback_));
  dry_run_.Add(add, "client or server: run the checks and show the change, write nothing.");
}

Result<void> UpgradeOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  if (!args.empty()) name_ = args[0];
  display_name_ = factory.display_name.empty() ? "kubectl mattermost" : factory.display_name;
  if (auto timeout = kubeapi::ParseGoDuration(timeout_text_)) {
    timeout_ = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  } else {
    timeout_valid_ = false;
  }
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  namespace_ = client_->config().namespace_name;
  return {};
}

Result<void> UpgradeOptions::Validate() const {
  if (args_.size() != 1) {
    return Error::Usage("upgrade takes exactly one NAME, got " + std::to_string(args_.size()) +
                        " arguments");
  }
  if (rollback_ && (!version_.empty() || !image_.empty())) {
    return Error::Usage("--rollback takes the previous version and image: drop --version/--image");
  }
  if (!rollback_ && version_.empty()) return Error::Usage("--version is required (or --rollback)");
  if (!version_.empty()) {
    if (std::string problem = CheckImageVersion(version_); !problem.empty()) {
      return Error::Usage("--version: " + problem);
    }
  }
  if (!timeout_valid_ || timeout_.count() <= 0) {
    return Error::Usage("invalid --timeout \"" + timeout_text_ + "\" (e.g. 15m, 90s)");
  }
  return dry_run_.Validate(wait_);
}

Result<void> UpgradeOptions::Inspect(const rapidjson::Value& live) {
  rapidjson::Document copy;
  copy.CopyFrom(live, copy.GetAllocator());
  auto parsed = ParseMattermost(std::move(copy));
  if (!parsed) return std::move(parsed).error();
  auto defaulted = DefaultedMattermost(*parsed);
  if (!defaulted) return std::move(defaulted).error();
  const MattermostSpec& spec = defaulted->spec;
  facts_ = {.what = What(),
            .current_version = spec.version,
            .current_image = spec.image,
            .replicas = spec.replicas.value_or(1),
            .stable = IsStable(live),
            .state = ReadMattermostStatus(live).state};
  request_ = {.version = version_,
              .image = image_.empty() ? spec.image : image_,
              .allow_downtime = allow_downtime_,
              .force = force_,
              .rollback = rollback_};
  previous_version_ = spec.version;
  previous_image_ = spec.image;
  if (rollback_) {
    request_.version = Annotation(live, kPreviousVersionAnnotation);
    request_.image = Annotation(live, kPreviousImageAnnotation);
    if (request_.version.empty() || request_.image.empty()) {
      return Error::Invalid(What() + " has no previous version to return to (annotations " +
                            kPreviousVersionAnnotation + " and " + kPreviousImageAnnotation +
                            " are written by 'upgrade')");
    }
  }
  auto deployment =
      client_->rest().Get(*kubeapi::BuiltinMapping("apps/v1", "Deployment"), namespace_, name_);
  if (!deployment && !IsNotFound(deployment.error())) return std::move(deployment).error();
  if (deployment) {
    auto image = AppContainerImage(*deployment);
    if (image) facts_.live_image = *image;
  }
  return {};
}

Result<void> UpgradeOptions::Run(IOStreams& streams) {
  InterruptGuard interrupt;  // before any thread starts
  auto operator_available = engine::OperatorAvailable(*client_);
  if (!operator_available) return std::move(operator_available).error();
  client_mode_ = !*operator_available;
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  auto live = client_->rest().Get(*mapping, namespace_, name_);
  if (!live && IsNotFound(live.error())) {
    return Error::Invalid(What() + " not found (see 'kubectl mattermost status -A')");
  }
  if (!live) return std::move(live).error();
  MM_RETURN_IF_ERROR(Inspect(*live));
  UpgradeDecision decision = DecideUpgrade(facts_, request_);
  switch (decision.verdict) {
    case UpgradeVerdict::kRefuse:
      return Error::Invalid(decision.message);
    case UpgradeVerdict::kNothingToDo:
      streams.err << decision.message << "\n";
      streams.out << "mattermost.installation.mattermost.com/" << name_ << " unchanged\n";
      return {};
    case UpgradeVerdict::kResume:
      streams.err << decision.message << "\n";
      break;
    case UpgradeVerdict::kProceed:
      break;
  }
  if (dry_run_.enabled()) return DryRun(*live, streams);
  if (decision.verdict == UpgradeVerdict::kProceed) MM_RETURN_IF_ERROR(ApplyTarget(streams));
  return Follow(streams, interrupt.token());
}

// The spec change as a server-side apply of the fields upgrade owns, under its own field
// manager (applying a partial object as `install`'s manager would drop the fields it set).
Result<void> UpgradeOptions::ApplyTarget(IOStreams& streams) {
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  rapidjson::Document patch =
      Json::Object(
          {{"apiVersion", kMattermostApiVersion},
           {"kind", kMattermostKind},
           {"metadata",
            Json::Object(
                {{"name", name_},
                 {"namespace", namespace_},
                 {"annotations", Json::Object({{kPreviousVersionAnnotation, previous_version_},
                                               {kPreviousImageAnnotation, previous_image_}})}})},
           {"spec", Json::Object({{"image", request_.image}, {"version", request_.version}})}})
          .BuildDocument();
  auto applied = client_->rest().Apply(
      *mapping, namespace_, patch,
      {.field_manager = kUpgradeFieldManager, .force = true, .dry_run = dry_run_.server()});
  if (!applied) return std::move(applied).error();
  streams.err << (rollback_ ? "rolling back " : "upgrading ") << What() << ": "
              << Shown(facts_.current_version) << " -> " << request_.version << " ("
              << (client_mode_ ? "client-side: the plugin runs the update job and the rollout"
                               : "operator mode: the operator runs the update job and the rollout")
              << ")\n";
  return {};
}

// Prints the change and, in client-side mode, the plan the first pass would carry out. The
// server dry run also has the API server validate the new spec.
Result<void> UpgradeOptions::DryRun(const rapidjson::Value& live, IOStreams& streams) {
  if (dry_run_.server()) MM_RETURN_IF_ERROR(ApplyTarget(streams));
  rapidjson::Document changed;
  changed.CopyFrom(live, changed.GetAllocator());
  auto& allocator = changed.GetAllocator();
  if (FindMember(changed, "spec") == nullptr) {
    SetMember(changed, "spec", rapidjson::Value(rapidjson::kObjectType), allocator);
  }
  rapidjson::Value& spec = changed["spec"];
  SetMember(spec, "version", JsonString(request_.version, allocator), allocator);
  SetMember(spec, "image", JsonString(request_.image, allocator), allocator);
  SetMember(changed["metadata"], "generation",
            rapidjson::Value(GetInt64At(live, {"metadata", "generation"}) + 1), allocator);
  if (client_mode_) {
    auto pass =
        engine::ReconcileOnce(*client_, namespace_, name_, {.dry_run = true, .resource = &changed});
    if (!pass) return std::move(pass).error();
    streams.err << "client-side reconcile would:\n" << engine::FormatPlan(pass->plan);
  }
  streams.out << "mattermost.installation.mattermost.com/" << name_ << " "
              << (rollback_ ? "rolled back to " : "upgraded to ") << request_.version
              << (dry_run_.server() ? " (server dry run)" : " (dry run)") << "\n";
  return {};
}

Result<void> UpgradeOptions::Follow(IOStreams& streams, const kubeapi::CancellationToken& cancel) {
  std::string verb = rollback_ ? "rolled back to " : "upgraded to ";
  if (!client_mode_ && !wait_) {
    streams.out << "mattermost.installation.mattermost.com/" << name_ << " upgrading to "
                << request_.version << "\n";
    streams.err << "the operator performs the upgrade; follow it with '" << display_name_
                << " status " << name_ << " -n " << namespace_ << "' or '" << display_name_
                << " logs " << name_ << " -n " << namespace_ << " --job update -f'\n";
    return {};
  }
  auto started = kubeapi::RealClock().Now();
  UpgradePrinter printer(streams.err, streams.err_is_terminal,
                         streams.err_is_terminal ? TerminalWidth() : 100);
  UpgradeRun run{.namespace_name = namespace_,
                 .name = name_,
                 .target_image = ImageReference(request_.image, request_.version),
                 .client_mode = client_mode_,
                 .deadline = started + timeout_,
                 .timeout_text = timeout_text_,
                 .cancel = &cancel};
  auto progress = FollowUpgrade(*client_, run, printer);
  printer.Finish();
  if (!progress) return std::move(progress).error();
  if (progress->step == UpgradeStep::kJobFailed) return Failure(*progress, printer, streams);
  auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(kubeapi::RealClock().Now() - started);
  streams.out << "mattermost.installation.mattermost.com/" << name_ << " " << verb
              << request_.version << " in " << HumanDuration(elapsed) << " (stable)\n";
  return {};
}

// The job failed: what it said last, why, that nothing rolled, and what to run next.
Error UpgradeOptions::Failure(const UpgradeProgress& progress, UpgradePrinter& printer,
                              IOStreams& streams) {
  std::string where = name_ + " -n " + namespace_;
  std::ostream& err = streams.err;
  err << "update job " << kUpdateJobName << " failed: " << progress.failure << "\n";
  std::vector<std::string> tail = printer.JobTail();
  if (!tail.empty()) {
    err << "last lines of its log:\n";
    for (const std::string& line : tail) err << "  job | " << line << "\n";
  }
  err << "Deployment " << name_ << " was not changed: it still runs "
      << (facts_.live_image.empty() ? "the previous image" : facts_.live_image) << "\n"
      << "next:\n"
      << "  " << display_name_ << " upgrade " << where << " --rollback   # back to "
      << Shown(previous_version_) << "\n"
      << "  " << display_name_ << " logs " << where << " --job update    # the job's whole log\n";
  return Error::Invalid("the upgrade of " + What() + " to " + request_.version +
                        " failed: its database migration (update job) failed");
}

CommandSpec UpgradeCommandSpec() {
  return {
      .name = "upgrade",
      .summary = "Upgrade (or roll back) a Mattermost installation",
      .description =
          "Check that the upgrade is safe, set spec.version (and spec.image) with server-side "
          "apply, and follow it: the update job that migrates the database (its log streamed), "
          "then the rolling update of the pods, until the installation is stable. In client-side "
          "mode the plugin performs these steps itself; with an operator running it watches the "
          "operator perform them (with --wait). A failed update job stops the upgrade before any "
          "pod changes. --rollback returns to the version and image before the last upgrade.",
      .usage =
          "NAME --version V [--image I] [-n NS] [--wait] [--timeout 15m] [--allow-downtime] "
          "[--force] [--rollback] [--dry-run=client|server]",
      .examples =
          "  # Upgrade, following the migration job's log and the rollout until stable\n"
          "  $ upgrade demo --version 10.9.0 --wait\n"
          "\n"
          "  # What would change, checked by the API server\n"
          "  $ upgrade demo --version 10.9.0 --dry-run=server\n"
          "\n"
          "  # A single-replica installation: accept the downtime\n"
          "  $ upgrade demo --version 10.9.0 --allow-downtime\n"
          "\n"
          "  # Undo the last upgrade (e.g. after its update job failed)\n"
          "  $ upgrade demo --rollback --wait\n",
      .make = [] { return std::make_unique<UpgradeOptions>(); },
  };
}

}  // namespace mm
