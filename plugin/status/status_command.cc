#include "plugin/status/status_command.h"

#include "core/json.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/status.h"
#include "core/mattermost/update_job.h"
#include "core/mattermost/upgrade.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/status/status_events.h"
#include "plugin/status/status_table.h"

namespace mm {
namespace {

constexpr size_t kWarningsShown = 10;  // the most recent ones

const kubeapi::ResourceMapping& Builtin(const char* api_version, const char* kind) {
  return *kubeapi::BuiltinMapping(api_version, kind);
}

const rapidjson::Value& Items(const rapidjson::Value& list) {
  static const rapidjson::Value kEmpty(rapidjson::kArrayType);
  const rapidjson::Value* items = FindMember(list, "items");
  return items != nullptr && items->IsArray() ? *items : kEmpty;
}

std::string PodLine(const rapidjson::Value& pod) {
  const rapidjson::Value* status = FindMember(pod, "status");
  const rapidjson::Value* containers = status ? FindMember(*status, "containerStatuses") : nullptr;
  int ready = 0;
  int total = 0;
  if (containers != nullptr && containers->IsArray()) {
    for (const rapidjson::Value& container : containers->GetArray()) {
      ++total;
      const rapidjson::Value* flag = FindMember(container, "ready");
      if (flag != nullptr && flag->IsBool() && flag->GetBool()) ++ready;
    }
  }
  return GetString(pod["metadata"], "name") + "   " + std::to_string(ready) + "/" +
         std::to_string(total) + "   " + (status ? GetString(*status, "phase") : "");
}

std::string JobLine(const rapidjson::Value& job) {
  const rapidjson::Value* status = FindMember(job, "status");
  auto count = [&](const char* key) {
    const rapidjson::Value* value = status ? FindMember(*status, key) : nullptr;
    return value != nullptr && value->IsInt() ? value->GetInt() : 0;
  };
  auto image = AppContainerImage(job);
  return std::string(kUpdateJobName) + " (image " + (image ? *image : "?") +
         "): " + std::to_string(count("active")) + " active, " +
         std::to_string(count("succeeded")) + " succeeded, " + std::to_string(count("failed")) +
         " failed";
}

std::string Annotation(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* annotations = FindPath(object, {"metadata", "annotations"});
  return annotations ? GetString(*annotations, key) : "";
}

// After a failed update job: its log (while the job is kept), then back to the version before.
std::string AfterFailedUpdateJob(const rapidjson::Value& mattermost, bool job_exists) {
  const rapidjson::Value& metadata = mattermost["metadata"];
  std::string where = GetString(metadata, "name") + " -n " + GetString(metadata, "namespace");
  const rapidjson::Value* version = FindPath(mattermost, {"spec", "version"});
  std::string text = std::string("the update job (the database migration to ") +
                     (version && version->IsString() ? version->GetString() : "the new version") +
                     ") failed and the pods still run the previous version:";
  if (job_exists) {
    text += "\n  kubectl mattermost logs " + where + " --job update   # why it failed";
  }
  std::string previous = Annotation(mattermost, kPreviousVersionAnnotation);
  if (!previous.empty()) {
    text += "\n  kubectl mattermost upgrade " + where + " --rollback   # back to " + previous;
  }
  return text + "\n  kubectl mattermost upgrade " + where +
         " --version V   # or retry, with a fixed version";
}

// What the user should do next, from the installation's status and who reconciles it.
std::string NextStep(const rapidjson::Value& mattermost, const std::string& mode, bool job_exists) {
  MattermostStatus status = ReadMattermostStatus(mattermost);
  std::string name = GetString(mattermost["metadata"], "name");
  if (status.error == kUpdateJobFailedError) return AfterFailedUpdateJob(mattermost, job_exists);
  if (IsStable(mattermost)) {
    return status.endpoint.empty() || status.endpoint == "not available"
               ? "nothing: the installation is stable"
               : "nothing: the installation is stable; open https://" + status.endpoint;
  }
  if (!status.error.empty()) {
    return "fix the error above, then " + (mode == "client"
                                               ? "run 'kubectl mattermost reconcile " + name + "'"
                                               : std::string("the operator retries on its own"));
  }
  if (mode == "client") {
    return "run 'kubectl mattermost reconcile " + name +
           "' (no operator is running), or 'kubectl mattermost reconcile --watch'";
  }
  return "wait: the operator is rolling it out (state " +
         (status.state.empty() ? std::string("<none>") : status.state) + ")";
}

}  // namespace

void StatusOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("A,all-namespaces", "List installations in every namespace.",
      cxxopts::value(all_namespaces_));
  add("o,output", "One of 'wide', 'yaml' or 'json'.", cxxopts::value(output_));
}

Result<void> StatusOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  auto format = ParseOutputFormat(output_, {"wide", "json", "yaml"});
  if (!format) return std::move(format).error();
  format_ = *format;
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  namespace_ = client_->config().namespace_name;
  namespace_explicit_ = client_->config().namespace_explicit;
  return {};
}

Result<void> StatusOptions::Validate() const {
  if (args_.size() > 1) {
    return Error::Usage("status takes at most one NAME, got " + std::to_string(args_.size()));
  }
  if (all_namespaces_ && !args_.empty()) {
    return Error::Usage("a NAME cannot be combined with --all-namespaces");
  }
  if (all_namespaces_ && namespace_explicit_) {
    return Error::Usage("--namespace and --all-namespaces are mutually exclusive");
  }
  return {};
}

Result<void> StatusOptions::Run(IOStreams& streams) {
  auto operator_available = engine::OperatorAvailable(*client_);
  if (!operator_available) return std::move(operator_available).error();
  std::string mode = *operator_available ? "operator" : "client";
  if (!args_.empty()) return RunOne(streams, mode);
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  auto list = client_->rest().List(*mapping, all_namespaces_ ? "" : namespace_, {});
  if (!list) return std::move(list).error();
  if (format_ == OutputFormat::kJson || format_ == OutputFormat::kYaml) {
    PrintStructured(*list, format_, streams.out);
    return {};
  }
  if (Items(*list).Empty()) {
    streams.err << (all_namespaces_
                        ? std::string("No Mattermost installations found.")
                        : "No Mattermost installations found in " + namespace_ + " namespace.")
                << "\n";
    return {};
  }
  std::vector<StatusRow> rows;
  auto now = kubeapi::RealClock().Now();
  for (const rapidjson::Value& item : Items(*list).GetArray()) {
    rows.push_back(StatusRowFor(item, now, mode));
  }
  streams.out << FormatStatusTable(rows, all_namespaces_, format_ == OutputFormat::kWide);
  return {};
}

Result<void> StatusOptions::RunOne(IOStreams& streams, const std::string& mode) {
  const std::string& name = args_[0];
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  auto mattermost = client_->rest().Get(*mapping, namespace_, name);
  if (!mattermost) return std::move(mattermost).error();
  if (format_ == OutputFormat::kJson || format_ == OutputFormat::kYaml) {
    PrintStructured(*mattermost, format_, streams.out);
    return {};
  }
  std::ostream& out = streams.out;
  out << FormatStatusTable({StatusRowFor(*mattermost, kubeapi::RealClock().Now(), mode)}, false,
                           format_ == OutputFormat::kWide);
  std::string selector = "installation.mattermost.com/installation=" + name;
  auto pods = client_->rest().List(Builtin("v1", "Pod"), namespace_, {.label_selector = selector});
  if (!pods) return std::move(pods).error();
  out << "\nPods:\n";
  if (Items(*pods).Empty()) out << "  <none>\n";
  std::set<std::string> pod_names;
  for (const rapidjson::Value& pod : Items(*pods).GetArray()) {
    out << "  " << PodLine(pod) << "\n";
    pod_names.insert(GetString(pod["metadata"], "name"));
  }
  auto job = client_->rest().Get(Builtin("batch/v1", "Job"), namespace_, kUpdateJobName);
  if (!job && !IsNotFound(job.error())) return std::move(job).error();
  out << "\nUpdate job: " << (job ? JobLine(*job) : "<none>") << "\n";
  auto ingress = client_->rest().Get(Builtin("networking.k8s.io/v1", "Ingress"), namespace_, name);
  if (!ingress && !IsNotFound(ingress.error())) return std::move(ingress).error();
  out << "Ingress: ";
  if (!ingress) {
    out << "<none>\n";
  } else {
    const rapidjson::Value* rules = FindMember((*ingress)["spec"], "rules");
    std::string hosts;
    if (rules != nullptr && rules->IsArray()) {
      for (const rapidjson::Value& rule : rules->GetArray()) {
        hosts += (hosts.empty() ? "" : ", ") + GetString(rule, "host");
      }
    }
    out << name << " (hosts " << (hosts.empty() ? "<none>" : hosts) << ")\n";
  }
  auto events =
      client_->rest().List(Builtin("v1", "Event"), namespace_, {.field_selector = "type=Warning"});
  if (!events) return std::move(events).error();
  out << "\nWarning events:\n";
  std::vector<std::string> warnings = RecentWarnings(*events, name, pod_names, kWarningsShown);
  if (warnings.empty()) out << "  <none>\n";
  for (const std::string& line : warnings) out << line << "\n";
  out << "\nNext: " << NextStep(*mattermost, mode, job.ok()) << "\n";
  return {};
}

CommandSpec StatusCommandSpec() {
  return {
      .name = "status",
      .summary = "Show Mattermost installations and their health",
      .description =
          "Show every Mattermost installation of the namespace (or of all namespaces with -A): "
          "state, version, replicas ready/desired, endpoint, age, mode (operator when the "
          "Mattermost operator's Deployment is available, else client) and last error. For one "
          "NAME also its pods, update job, ingress, recent warning events and what to do next.",
      .usage = "[NAME] [-n NS | -A] [-o wide|yaml|json]",
      .examples =
          "  # Every installation in every namespace\n"
          "  $ status -A\n"
          "\n"
          "  # One installation in detail\n"
          "  $ status demo -n chat\n"
          "\n"
          "  # As YAML, for scripts\n"
          "  $ status demo -o yaml\n",
      .make = [] { return std::make_unique<StatusOptions>(); },
  };
}

}  // namespace mm
