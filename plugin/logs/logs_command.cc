#include "plugin/logs/logs_command.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "core/json.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/update_job.h"
#include "kubeapi/duration.h"
#include "plugin/engine/live_view.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/interrupt.h"
#include "plugin/logs/log_merge.h"
#include "plugin/logs/pod_log_streams.h"

namespace mm {
namespace {

const kubeapi::ResourceMapping& Pods() { return *kubeapi::BuiltinMapping("v1", "Pod"); }
const kubeapi::ResourceMapping& Jobs() { return *kubeapi::BuiltinMapping("batch/v1", "Job"); }

std::string Name(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata ? GetString(*metadata, "name") : "";
}

// "Complete" or "Failed: <reason>" once the job has finished, else "".
std::string JobOutcome(const rapidjson::Value& job) {
  const rapidjson::Value* conditions = FindPath(job, {"status", "conditions"});
  if (conditions == nullptr || !conditions->IsArray()) return "";
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "status") != "True") continue;
    std::string type = GetString(condition, "type");
    if (type == "Complete") return "succeeded";
    if (type == "Failed") return "failed: " + GetString(condition, "reason");
  }
  return "";
}

}  // namespace

void LogsOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("job", "The logs of the installation's job: update (the migration job) or restore.",
      cxxopts::value(job_));
  add("operator",
      "The logs of the Mattermost operator (NAME is not needed; -n NS where it runs, else where "
      "an available one runs).",
      cxxopts::value(operator_));
  add("c,container", "Container (default: mattermost for app and job pods).",
      cxxopts::value(container_));
  add("f,follow", "Stream the logs; follows new pods as they start.", cxxopts::value(follow_));
  add("tail", "Lines of each pod's recent log to show (-1: all).", cxxopts::value(tail_));
  add("since", "Only lines newer than this (Go duration, e.g. 10m).", cxxopts::value(since_text_));
  add("timestamps", "Begin each line with its time.", cxxopts::value(timestamps_));
  add("all-pods", "Every pod of the installation: app, job server and update job pods.",
      cxxopts::value(all_pods_));
  add("prefix", "Begin each line with [pod/NAME/CONTAINER] (always on for app pods).",
      cxxopts::value(prefix_));
}

Result<void> LogsOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  if (!args.empty()) name_ = args[0];
  if (!since_text_.empty()) {
    auto since = kubeapi::ParseGoDuration(since_text_);
    since_valid_ = since.has_value() && since->count() > 0;
    if (since_valid_) {
      since_seconds_ =
          std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(*since).count());
    }
  }
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  namespace_ = client_->config().namespace_name;
  namespace_explicit_ = client_->config().namespace_explicit;
  return {};
}

Result<void> LogsOptions::Validate() const {
  if (args_.size() > 1) return Error::Usage("logs takes one NAME");
  if (args_.empty() && !operator_) return Error::Usage("name an installation (or pass --operator)");
  if (!job_.empty() && job_ != "update" && job_ != "restore") {
    return Error::Usage("--job must be update or restore, got \"" + job_ + "\"");
  }
  if (static_cast<int>(!job_.empty()) + static_cast<int>(operator_) + static_cast<int>(all_pods_) >
      1) {
    return Error::Usage("--job, --operator and --all-pods are exclusive");
  }
  if (tail_ < -1) return Error::Usage("--tail must be -1 (all) or more");
  if (!since_valid_) {
    return Error::Usage("invalid --since \"" + since_text_ + "\" (e.g. 10m, 1h)");
  }
  return {};
}

// The operator's namespace: -n when given, else where an available operator runs (install
// operator -n may have put it anywhere), else the manifest's mattermost-operator.
Result<std::string> LogsOptions::OperatorNamespace() {
  if (namespace_explicit_) return namespace_;
  auto running = engine::FindAvailableOperator(*client_);
  if (!running) return std::move(running).error();
  return running->value_or(engine::kOperatorNamespace);
}

Result<LogsOptions::Selection> LogsOptions::Select() {
  if (operator_) {
    auto where = OperatorNamespace();
    if (!where) return std::move(where).error();
    return Selection{*where, {"name=mattermost-operator"}, "", prefix_};
  }
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  auto mattermost = client_->rest().Get(*mapping, namespace_, name_);
  if (!mattermost && IsNotFound(mattermost.error())) {
    return Error::Invalid("Mattermost " + namespace_ + "/" + name_ + " not found");
  }
  if (!mattermost) return std::move(mattermost).error();
  std::string installation = std::string(kInstallationLabel) + "=" + name_;
  std::string update_pods = std::string("job-name=") + kUpdateJobName;
  if (job_.empty()) {
    if (all_pods_) return Selection{namespace_, {installation, update_pods}, "", true};
    return Selection{namespace_, {"app=mattermost," + installation}, "", true};
  }
  std::string job = job_ == "update" ? kUpdateJobName : name_ + "-restore";
  auto found = client_->rest().Get(Jobs(), namespace_, job);
  if (!found && IsNotFound(found.error())) {
    return Error::Invalid(
        "no " + job_ + " job for Mattermost " + namespace_ + "/" + name_ + ": job " + job +
        " not found" +
        (job_ == "update"
             ? " (it runs while an upgrade migrates the database and is deleted when it succeeds)"
             : ""));
  }
  if (!found) return std::move(found).error();
  return Selection{namespace_, {"job-name=" + job}, job, prefix_};
}

kubeapi::PodLogOptions LogsOptions::LogOptions() const {
  kubeapi::PodLogOptions options{.container = container_,
                                 .follow = follow_,
                                 .since_seconds = since_seconds_,
                                 .timestamps = timestamps_};
  if (tail_ >= 0) options.tail_lines = tail_;
  return options;
}

Result<void> LogsOptions::Run(IOStreams& streams) {
  auto selection = Select();
  if (!selection) return std::move(selection).error();
  return follow_ ? Follow(*selection, streams) : Print(*selection, streams);
}

// Reads each pod's log once and prints them interleaved by time (one pod: as it comes).
Result<void> LogsOptions::Print(const Selection& selection, IOStreams& streams) {
  std::vector<rapidjson::Document> pods;
  std::set<std::string> names;
  for (const std::string& selector : selection.selectors) {
    auto list =
        client_->rest().List(Pods(), selection.namespace_name, {.label_selector = selector});
    if (!list) return std::move(list).error();
    for (rapidjson::Value& pod : (*list)["items"].GetArray()) {
      if (!names.insert(Name(pod)).second) continue;
      pods.emplace_back().CopyFrom(pod, pods.back().GetAllocator());
    }
  }
  if (pods.empty()) {
    streams.err << "No resources found in " << selection.namespace_name << " namespace.\n";
    return {};
  }
  std::vector<std::vector<TimedLogLine>> logs;
  for (const rapidjson::Document& pod : pods) {
    std::string container = LogContainer(pod, container_);
    if (std::string missing = MissingContainer(pod, container); !missing.empty()) {
      return Error::Invalid(missing);
    }
    if (!ContainerStarted(pod, container)) {
      streams.err << "pod " << Name(pod) << ": container " << container << " has not started yet\n";
      continue;
    }
    kubeapi::PodLogOptions options = LogOptions();
    options.container = container;
    std::string source = selection.prefix ? LogPrefix(Name(pod), container) : "";
    if (pods.size() == 1) {  // nothing to interleave: stream it straight out
      return kubeapi::StreamPodLogs(
          client_->rest(), selection.namespace_name, Name(pod), options,
          [&](std::string_view line) {
            streams.out << source << line << '\n';
            return true;
          },
          nullptr);
    }
    options.timestamps = true;  // to interleave; removed again unless asked for
    std::vector<TimedLogLine>& lines = logs.emplace_back();
    MM_RETURN_IF_ERROR(kubeapi::StreamPodLogs(
        client_->rest(), selection.namespace_name, Name(pod), options,
        [&](std::string_view line) {
          lines.push_back(ParseTimedLine(line, source));
          return true;
        },
        nullptr));
  }
  for (const std::string& line : MergeByTime(logs, timestamps_)) streams.out << line << '\n';
  return {};
}

// Streams every matching pod's log as lines arrive, taking up new pods as they start. Ends on
// Ctrl-C (exit 130), or for a job once it has finished and every stream has ended.
Result<void> LogsOptions::Follow(const Selection& selection, IOStreams& streams) {
  InterruptGuard interrupt;  // before any thread starts
  std::vector<engine::WatchSource> sources;
  for (const std::string& selector : selection.selectors) {
    sources.push_back({Pods(), selection.namespace_name, {.label_selector = selector}});
  }
  if (!selection.job.empty()) {
    sources.push_back(
        {Jobs(), selection.namespace_name, {.field_selector = "metadata.name=" + selection.job}});
  }
  engine::LiveView view(client_->rest(), sources);
  std::mutex out_mutex;
  auto sink = [&](const std::string& pod, const std::string& container, std::string_view line) {
    std::lock_guard<std::mutex> lock(out_mutex);
    if (selection.prefix) streams.out << LogPrefix(pod, container);
    streams.out << line << '\n';
  };
  PodLogStreams logs(client_->rest(), selection.namespace_name, LogOptions(), sink,
                     [&] { view.Poke(); });
  view.Start();
  uint64_t seen = 0;
  bool initial = true;
  while (true) {
    seen = view.WaitForChange(seen, std::chrono::milliseconds(200));
    {
      std::lock_guard<std::mutex> lock(out_mutex);
      streams.out.flush();
    }
    if (auto failure = view.failure()) return *failure;
    if (auto failure = logs.failure()) return *failure;
    if (interrupt.interrupted()) return Error::Interrupted("interrupted");
    if (!view.Synced()) continue;
    bool all_read = true;
    for (size_t i = 0; i < selection.selectors.size(); ++i) {
      for (const rapidjson::Document& pod : view.Objects(i)) {
        std::string container = LogContainer(pod, container_);
        if (std::string missing = MissingContainer(pod, container); !missing.empty()) {
          return Error::Invalid(missing);
        }
        logs.Offer(pod, initial);
        if (ContainerStarted(pod, container) && !logs.Ended(Name(pod))) all_read = false;
      }
    }
    initial = false;
    if (selection.job.empty()) continue;
    std::vector<rapidjson::Document> jobs = view.Objects(selection.selectors.size());
    const rapidjson::Value* job = engine::FindNamed(jobs, selection.job);
    std::string outcome = job ? JobOutcome(*job) : "deleted";
    if (!outcome.empty() && all_read && logs.Active() == 0) {
      std::lock_guard<std::mutex> lock(out_mutex);
      streams.out.flush();
      streams.err << "job " << selection.job << " " << outcome << "\n";
      return {};
    }
  }
}

CommandSpec LogsCommandSpec() {
  return {
      .name = "logs",
      .summary = "Show the logs of an installation's pods, its update/restore job or the operator",
      .description =
          "Print the logs of a Mattermost installation's app pods, interleaved by time with a "
          "[pod/NAME/CONTAINER] prefix on each line; of its update job (--job update, the "
          "database migration an upgrade runs) or restore job; or of the Mattermost operator "
          "(--operator). -f streams them, taking up pods that start later (a rolling upgrade's "
          "new pods); with --job it ends once the job has finished.",
      .usage =
          "NAME [--job update|restore] [--operator [-n NS]] [-c CONTAINER] [-f] [--tail N] "
          "[--since 10m] "
          "[--timestamps] [--all-pods] [--prefix]",
      .examples =
          "  # Every app pod's log, interleaved\n"
          "  $ logs demo\n"
          "\n"
          "  # Follow the app pods through an upgrade (new pods are picked up as they start)\n"
          "  $ logs demo -f --tail 20\n"
          "\n"
          "  # The database migration of a running upgrade, until it ends\n"
          "  $ logs demo --job update -f\n"
          "\n"
          "  # The operator's last 100 lines\n"
          "  $ logs --operator --tail 100\n",
      .make = [] { return std::make_unique<LogsOptions>(); },
  };
}

}  // namespace mm
