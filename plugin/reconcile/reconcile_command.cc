#include "plugin/reconcile/reconcile_command.h"

#include "core/json.h"
#include "core/mattermost/parse.h"
#include "plugin/engine/engine.h"
#include "plugin/engine/execute.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/reconcile/local_operator.h"

namespace mm {

void ReconcileOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("all", "Every installation of the namespace.", cxxopts::value(all_));
  add("A,all-namespaces", "Every installation of every namespace.",
      cxxopts::value(all_namespaces_));
  add("dry-run", "Print the plan of each installation, change nothing.", cxxopts::value(dry_run_));
  add("watch", "Keep reconciling on every change, as the operator does (until Ctrl-C).",
      cxxopts::value(watch_));
  add("stand-in-operator",
      "Act even while the operator's Deployment is available: for test harnesses whose "
      "operator Deployment cannot run, so that this process stands in for it.",
      cxxopts::value(stand_in_));
  add("max-concurrent",
      "With --watch: at most this many installations reconciling or ready at once (the "
      "operator's MAX_RECONCILING_INSTALLATIONS).",
      cxxopts::value(max_concurrent_));
}

Result<void> ReconcileOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  namespace_ = client_->config().namespace_name;
  verbosity_ = factory.flags.verbosity;
  return {};
}

Result<void> ReconcileOptions::Validate() const {
  int selections =
      static_cast<int>(!args_.empty()) + static_cast<int>(all_) + static_cast<int>(all_namespaces_);
  if (args_.size() > 1) return Error::Usage("reconcile takes at most one NAME");
  if (selections == 0 && !watch_) {
    return Error::Usage("name an installation, or pass --all or --all-namespaces");
  }
  if (selections > 1) return Error::Usage("NAME, --all and --all-namespaces are exclusive");
  if (max_concurrent_ < 1) return Error::Usage("--max-concurrent must be at least 1");
  if (watch_ && dry_run_) return Error::Usage("--watch cannot be used with --dry-run");
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> ReconcileOptions::Targets(
    engine::ObjectCache& cache, const engine::CachedReader::Loader& load) {
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  // Every namespace's Deployments, which the passes read anyway, include the operator's wherever
  // it runs: looking for it costs no request. One namespace's may not, so then it is looked for
  // (a GET).
  std::optional<std::string> running;
  if (all_namespaces_) {
    const kubeapi::ResourceMapping& deployments = *kubeapi::BuiltinMapping("apps/v1", "Deployment");
    MM_RETURN_IF_ERROR(load(deployments));
    running = engine::FindAvailableOperator(cache.Objects(deployments.GroupResource()));
  } else {
    auto found = engine::FindAvailableOperator(*client_);
    if (!found) return std::move(found).error();
    running = *found;
  }
  if (running && !stand_in_) return engine::OperatorRunningError(*running);
  MM_RETURN_IF_ERROR(load(*mapping));
  std::vector<std::pair<std::string, std::string>> targets;
  for (const engine::SharedObject& item : cache.Objects(mapping->GroupResource())) {
    const rapidjson::Value& metadata = (*item)["metadata"];
    targets.emplace_back(GetString(metadata, "namespace"), GetString(metadata, "name"));
  }
  return targets;
}

Result<void> ReconcileOptions::Run(IOStreams& streams) {
  if (!watch_ && args_.empty()) return RunAll(streams);
  auto running = engine::FindAvailableOperator(*client_);
  if (!running) return std::move(running).error();
  if (running->has_value() && !stand_in_) return engine::OperatorRunningError(**running);
  if (watch_) {
    LocalOperatorOptions options{.namespace_name = all_namespaces_ ? "" : namespace_,
                                 .name = args_.empty() ? "" : args_[0],
                                 .max_reconciling = max_concurrent_,
                                 .verbosity = verbosity_};
    return RunLocalOperator(*client_, options, streams);
  }
  // One installation reads just its own objects; its error is the command's.
  return Reconcile({{namespace_, args_[0]}}, nullptr, streams);
}

Result<void> ReconcileOptions::RunAll(IOStreams& streams) {
  // Several installations read the cluster from one list of each resource (O(kinds) requests
  // whatever their number, and nothing else).
  engine::ObjectCache cache;
  auto load = engine::ListOnceLoader(client_->rest(), cache, all_namespaces_ ? "" : namespace_);
  auto targets = Targets(cache, load);
  if (!targets) return std::move(targets).error();
  engine::CachedReader cached(cache, load);
  return Reconcile(*targets, &cached, streams);
}

Result<void> ReconcileOptions::Reconcile(
    const std::vector<std::pair<std::string, std::string>>& targets, engine::ClusterReader* reader,
    IOStreams& streams) {
  // One installation: its error is the command's. Several: each failure gets a line, and the
  // command fails at the end.
  bool single = targets.size() == 1;
  int failures = 0;
  for (const auto& [ns, name] : targets) {
    auto pass = engine::ReconcileOnce(*client_, ns, name, {.dry_run = dry_run_, .reader = reader});
    std::optional<Error> failure;
    if (!pass) {
      failure = pass.error();
    } else if (dry_run_) {
      streams.out << "Mattermost " << ns << "/" << name << ":\n" << engine::FormatPlan(pass->plan);
    } else {
      streams.out << "mattermost.installation.mattermost.com/" << name << " reconciled ("
                  << (all_namespaces_ ? "namespace " + ns + ", " : "") << "state "
                  << ReadMattermostStatus(*pass->mattermost).state << ", " << pass->writes
                  << (pass->writes == 1 ? " write" : " writes") << ")\n";
    }
    if (pass && !pass->plan.error.empty()) failure = Error::Invalid(pass->plan.error);
    if (!failure) continue;
    if (single) return *failure;
    ++failures;
    streams.out.flush();
    streams.err << "error: " << ns << "/" << name << ": " << failure->message() << "\n";
  }
  if (failures > 0) {
    return Error::Invalid(std::to_string(failures) + " of " + std::to_string(targets.size()) +
                          " installations failed to reconcile");
  }
  return {};
}

CommandSpec ReconcileCommandSpec() {
  return {
      .name = "reconcile",
      .summary = "Do the operator's work client-side (once, or --watch as a local operator)",
      .description =
          "Reconcile Mattermost installations from here, exactly as the Mattermost operator "
          "would: write back the defaulted spec, server-side apply the child objects, run the "
          "update job, delete what is no longer wanted, and write status. Refuses while the "
          "operator's Deployment is available. --watch keeps running as a local operator on "
          "list+watch caches until Ctrl-C.",
      .usage = "[NAME | --all | -A] [--dry-run] [--watch] [--max-concurrent 20]",
      .examples =
          "  # One pass over one installation\n"
          "  $ reconcile demo -n chat\n"
          "\n"
          "  # What a pass would do, for every installation of the namespace\n"
          "  $ reconcile --all --dry-run\n"
          "\n"
          "  # Run as a local operator for every namespace until Ctrl-C\n"
          "  $ reconcile -A --watch\n",
      .make = [] { return std::make_unique<ReconcileOptions>(); },
  };
}

}  // namespace mm
