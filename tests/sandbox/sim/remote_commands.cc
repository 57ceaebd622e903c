// The simulated kubelet's remote commands: pods/exec and pods/attach, over WebSocket (the channel
// protocols) or SPDY/3.1 (the remotecommand stream protocols), with the checks and error texts of
// kube-apiserver and the kubelet. The commands are transport-independent RemoteProcesses.
#include <algorithm>

#include "tests/sandbox/api_call.h"
#include "tests/sandbox/sim/attach_process.h"
#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/exec_process.h"
#include "tests/sandbox/sim/kubelet_replies.h"
#include "tests/sandbox/sim/spdy_remote_command.h"
#include "tests/sandbox/sim/ws_remote_command.h"
#include "tests/sandbox/status.h"

namespace sandbox::sim {
namespace {

// The remotecommand protocols the kubelet speaks over SPDY, newest first, with their versions.
const std::vector<std::pair<std::string, int>> kSpdyProtocols = {{"v4.channel.k8s.io", 4},
                                                                 {"v3.channel.k8s.io", 3},
                                                                 {"v2.channel.k8s.io", 2},
                                                                 {"channel.k8s.io", 1}};

const Json* FindContainerSpec(const Json& pod, const std::string& name) {
  const Json* list = AtPath(pod, "spec.containers");
  if (list == nullptr || !list->IsArray()) return nullptr;
  for (const auto& c : list->GetArray()) {
    if (Str(c, "name") == name) return &c;
  }
  return nullptr;
}

bool SpecBool(const Json& spec, const char* field) {
  const Json* value = Member(spec, field);
  return value != nullptr && value->IsBool() && value->GetBool();
}

// An env entry's value as `env` prints it; valueFrom is never resolved (no secret is printed).
std::string EnvValue(const Json& entry) {
  const Json* from = Member(entry, "valueFrom");
  if (from == nullptr || !from->IsObject()) return Str(entry, "value");
  for (const auto& m : from->GetObject()) {
    std::string kind(m.name.GetString(), m.name.GetStringLength());
    std::string what = Str(m.value, "name");
    for (const char* field : {"key", "fieldPath", "resource"}) {
      std::string v = Str(m.value, field);
      if (!v.empty()) what += (what.empty() ? "" : "/") + v;
    }
    return "<valueFrom " + kind + " " + what + ">";
  }
  return "";
}

ExecContainer ExecTarget(const Json& pod, const Json& spec) {
  ExecContainer c;
  c.pod_name = Str(*Member(pod, "metadata"), "name");
  c.container = Str(spec, "name");
  c.image = Str(spec, "image");
  const Json* env = Member(spec, "env");
  if (env != nullptr && env->IsArray()) {
    for (const auto& entry : env->GetArray())
      c.env.emplace_back(Str(entry, "name"), EnvValue(entry));
  }
  return c;
}

mm::Result<StreamOptions> ParseStreamOptions(const Request& request) {
  StreamOptions options;
  options.attach_stdin = QueryBool(request.Query("stdin"));
  options.attach_stdout = QueryBool(request.Query("stdout"));
  options.attach_stderr = QueryBool(request.Query("stderr"));
  options.tty = QueryBool(request.Query("tty"));
  if (!options.attach_stdin && !options.attach_stdout && !options.attach_stderr) {
    return mm::Error::Api(BadRequest("you must specify at least 1 of stdin, stdout, stderr"));
  }
  return options;
}

}  // namespace

const ContainerRun* Cluster::RunningContainer(const Json& pod, const std::string& name) const {
  const PodRun* run = FindRun(pod);
  for (size_t i = 0; run != nullptr && i < run->main.size(); ++i) {
    const ContainerRun& c = run->main[i];
    if (c.name == name && c.state == ContainerRun::State::kRunning) return &c;
  }
  return nullptr;
}

mm::Result<Response> Cluster::Exec(const Json& pod, const Request& request) {
  std::vector<std::string> command;
  for (const auto& [name, value] : request.query) {
    if (name == "command") command.push_back(value);
  }
  if (command.empty()) return mm::Error::Api(BadRequest("you must specify at least 1 command"));
  auto options = ParseStreamOptions(request);
  if (!options) return options.error();
  auto container = PickContainer(pod, request.Query("container"));
  if (!container) return container.error();
  const Json* spec = FindContainerSpec(pod, *container);
  if (RunningContainer(pod, *container) == nullptr || spec == nullptr) {
    return KubeletError(500, "container not found (\"" + *container + "\")");
  }
  auto process = std::make_shared<ExecProcess>(std::move(command), options->attach_stdin,
                                               ExecTarget(pod, *spec));
  return RemoteCommand(request, *options, process, FindRun(pod)->uid + "/" + *container);
}

mm::Result<Response> Cluster::Attach(const Json& pod, const Request& request) {
  auto options = ParseStreamOptions(request);
  if (!options) return options.error();
  auto container = PickContainer(pod, request.Query("container"));
  if (!container) return container.error();
  const Json* spec = FindContainerSpec(pod, *container);
  const ContainerRun* running = RunningContainer(pod, *container);
  if (running == nullptr || spec == nullptr) {
    return KubeletError(500, "container " + *container + " not found in pod " + PodFullName(pod));
  }
  // The streams follow the request's tty (the kubelet's createStreams reads the query); the
  // container's own spec.tty only shapes what the runtime writes, and a simulated container
  // writes its lines to stdout either way.
  const PodRun* run = FindRun(pod);
  AttachProcess::StdinWriter write_stdin;
  if (SpecBool(*spec, "stdin")) {
    write_stdin = [this, key = ObjectKey(run->ns, run->name), uid = run->uid, name = *container,
                   restarts = running->restarts](std::string line) {
      auto found = pods_.find(key);
      if (found == pods_.end() || found->second.uid != uid) return;
      for (const ContainerRun& c : found->second.main) {
        if (c.name == name && c.restarts == restarts && c.state == ContainerRun::State::kRunning) {
          logs_.Append(uid, name, restarts, {config_.clock(), std::move(line)});
          return;
        }
      }
    };
  }
  auto process = std::make_shared<AttachProcess>(logs_, run->uid, *container, running->restarts,
                                                 std::move(write_stdin));
  return RemoteCommand(request, *options, process, run->uid + "/" + *container);
}

mm::Result<Response> Cluster::RemoteCommand(const Request& request, const StreamOptions& options,
                                            std::shared_ptr<RemoteProcess> process,
                                            const std::string& key) {
  processes_.emplace(key, process);
  for (auto it = processes_.begin(); it != processes_.end();) {
    it = it->second.expired() ? processes_.erase(it) : std::next(it);
  }
  Response response;
  response.code = 101;
  if (request.upgrade == "spdy/3.1") {
    std::vector<std::string> names;
    for (const auto& [name, version] : kSpdyProtocols) names.push_back(name);
    auto protocol = NegotiateSpdyProtocol(request.stream_protocols, names);
    if (!protocol) return KubeletError(403, protocol.error().message());
    int version = 1;
    for (const auto& [name, v] : kSpdyProtocols) version = name == *protocol ? v : version;
    response.raw_upgrade = true;
    response.headers = {{"Connection", "Upgrade"}, {"Upgrade", "SPDY/3.1"}};
    if (!protocol->empty()) response.headers.emplace_back("X-Stream-Protocol-Version", *protocol);
    response.websocket = std::make_shared<SpdyRemoteCommand>(
        version, options, std::move(process), timers_, config_.stream_creation_timeout);
    return response;
  }
  if (request.upgrade != "websocket") {
    return mm::Error::Api(BadRequest("unsupported upgrade: " + request.upgrade));
  }
  auto protocol = NegotiateExecProtocol(request.websocket_protocols, config_.exec_v5);
  if (!protocol) return protocol.error();
  response.subprotocol = protocol->name;
  response.websocket = std::make_shared<WebSocketRemoteCommand>(
      *protocol, options, std::move(process), timers_, config_.remote_command_latency);
  return response;
}

void Cluster::KillProcesses(const std::string& uid, const std::string& container) {
  // "uid/container", or every container's with "uid/" as a prefix.
  std::string prefix = uid + "/" + container;
  auto matches = [&](const std::string& key) {
    return container.empty() ? key.rfind(prefix, 0) == 0 : key == prefix;
  };
  std::vector<std::shared_ptr<RemoteProcess>> targets;
  for (auto it = processes_.lower_bound(prefix); it != processes_.end() && matches(it->first);) {
    if (auto process = it->second.lock()) targets.push_back(std::move(process));
    it = processes_.erase(it);
  }
  for (auto& process : targets) process->Kill();
}

}  // namespace sandbox::sim
