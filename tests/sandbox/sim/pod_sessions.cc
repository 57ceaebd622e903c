// The simulated kubelet's streaming endpoints: pods/exec and pods/portforward over WebSocket,
// with the checks and error texts of kube-apiserver and the kubelet.
#include <algorithm>

#include "tests/sandbox/api_call.h"
#include "tests/sandbox/channel_protocol.h"
#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/exec_session.h"
#include "tests/sandbox/sim/port_forward.h"
#include "tests/sandbox/sim/spdy_port_forward.h"
#include "tests/sandbox/status.h"

namespace sandbox::sim {
namespace {

// What kubectl offers for port-forward: SPDY on the raw connection, or tunnelled in a WebSocket.
const std::string kSpdyStreamProtocol = "portforward.k8s.io";
const std::string kTunnelledSpdyProtocol = "SPDY/3.1+portforward.k8s.io";

// The kubelet's own errors reach clients as plain text with the kubelet's status code.
Response KubeletError(int code, std::string message) {
  Response r;
  r.code = code;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(message);
  return r;
}

std::string PodFullName(const Json& pod) {
  const Json& metadata = *Member(pod, "metadata");
  return Str(metadata, "name") + "_" + Str(metadata, "namespace");
}

const Json* FindContainerSpec(const Json& pod, const std::string& name) {
  const Json* list = AtPath(pod, "spec.containers");
  if (list == nullptr || !list->IsArray()) return nullptr;
  for (const auto& c : list->GetArray()) {
    if (Str(c, "name") == name) return &c;
  }
  return nullptr;
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

}  // namespace

mm::Result<std::string> PickContainer(const Json& pod, const std::string& requested) {
  std::string name = Str(*Member(pod, "metadata"), "name");
  std::vector<std::string> main, init;
  const std::pair<const char*, std::vector<std::string>*> lists[] = {
      {"spec.containers", &main}, {"spec.initContainers", &init}};
  for (auto [field, out] : lists) {
    const Json* list = AtPath(pod, field);
    if (list == nullptr || !list->IsArray()) continue;
    for (const auto& c : list->GetArray()) out->push_back(Str(c, "name"));
  }
  auto join = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
    return out;
  };
  if (requested.empty()) {
    if (main.size() == 1) return main[0];
    std::string message = "a container name must be specified for pod " + name;
    if (!main.empty()) message += ", choose one of: [" + join(main) + "]";
    if (!main.empty() && !init.empty()) {
      message += " or one of the init containers: [" + join(init) + "]";
    }
    return mm::Error::Api(BadRequest(message));
  }
  for (const auto* list : {&main, &init}) {
    if (std::find(list->begin(), list->end(), requested) != list->end()) return requested;
  }
  return mm::Error::Api(BadRequest("container " + requested + " is not valid for pod " + name));
}

const PodRun* Cluster::FindRun(const Json& pod) const {
  const Json& metadata = *Member(pod, "metadata");
  auto it = pods_.find(ObjectKey(Str(metadata, "namespace"), Str(metadata, "name")));
  if (it == pods_.end() || it->second.uid != Str(metadata, "uid")) return nullptr;
  return &it->second;
}

mm::Result<PortTarget> Cluster::ResolvePort(const PodRun& run, uint16_t port) const {
  for (const ContainerRun& c : run.main) {
    if (c.state != ContainerRun::State::kRunning || workload_ports_ == nullptr) continue;
    for (const ServedPort& served : ServedPorts(c.image, c.behaviour)) {
      if (served.port == port) {
        return PortTarget{run.uid, run.name + "_" + run.ns, port, served.kind, ImageTag(c.image)};
      }
    }
  }
  std::string address = "127.0.0.1:" + std::to_string(port);
  return mm::Error::Transport("failed to connect to localhost:" + std::to_string(port) +
                              " inside namespace of pod " + run.name + "_" + run.ns +
                              ", IPv4: dial tcp4 " + address + ": connect: connection refused");
}

mm::Result<Response> Cluster::PortForwardSpdy(const Json& pod, const Request& request, bool raw) {
  if (raw && !request.stream_protocols.empty() &&
      std::find(request.stream_protocols.begin(), request.stream_protocols.end(),
                kSpdyStreamProtocol) == request.stream_protocols.end()) {
    std::string offered;
    for (const auto& p : request.stream_protocols) offered += (offered.empty() ? "" : " ") + p;
    return KubeletError(403, "unable to upgrade: unable to negotiate protocol: client supports [" +
                                 offered + "], server supports [" + kSpdyStreamProtocol + "]");
  }
  const PodRun* run = FindRun(pod);
  if (run == nullptr || run->phase != "Running" || workload_ports_ == nullptr) {
    return KubeletError(500, "pod not found (\"" + PodFullName(pod) + "\")");
  }
  // Each forwarded connection looks the pod up again: it may have stopped since the upgrade.
  auto resolve = [this, key = ObjectKey(run->ns, run->name),
                  uid = run->uid](uint16_t port) -> mm::Result<PortTarget> {
    auto found = pods_.find(key);
    if (found == pods_.end() || found->second.uid != uid) {
      return mm::Error::Transport("pod not found");
    }
    return ResolvePort(found->second, port);
  };
  Response response;
  response.code = 101;
  response.websocket =
      std::make_shared<SpdyPortForward>(resolve, PodFullName(pod), run->uid, *workload_ports_);
  if (raw) {
    response.raw_upgrade = true;
    response.headers = {{"Connection", "Upgrade"},
                        {"Upgrade", "SPDY/3.1"},
                        {"X-Stream-Protocol-Version", kSpdyStreamProtocol}};
  } else {
    response.subprotocol = kTunnelledSpdyProtocol;
  }
  return response;
}

mm::Result<Response> Cluster::PortForward(const Json& pod, const Request& request) {
  const auto& offered = request.websocket_protocols;
  if (request.upgrade == "spdy/3.1") return PortForwardSpdy(pod, request, true);
  if (request.upgrade == "websocket" &&
      std::find(offered.begin(), offered.end(), kTunnelledSpdyProtocol) != offered.end()) {
    return PortForwardSpdy(pod, request, false);
  }
  if (request.upgrade != "websocket") {
    return mm::Error::Api(BadRequest("unsupported upgrade: " + request.upgrade));
  }
  auto protocol = NegotiatePortForwardProtocol(request.websocket_protocols);
  if (!protocol) return protocol.error();
  auto ports = ParseForwardedPorts(request);
  if (!ports) return KubeletError(400, ports.error().message());
  const PodRun* run = FindRun(pod);
  if (run == nullptr || run->phase != "Running") {
    return KubeletError(500, "pod not found (\"" + PodFullName(pod) + "\")");
  }
  std::vector<PortForwardSession::Port> list;
  for (uint16_t port : *ports) list.push_back({port, ResolvePort(*run, port)});
  Response response;
  response.code = 101;
  response.subprotocol = protocol->name;
  response.websocket = std::make_shared<PortForwardSession>(
      *protocol, std::move(list), PodFullName(pod), run->uid, *workload_ports_);
  return response;
}

mm::Result<Response> Cluster::Exec(const Json& pod, const Request& request) {
  if (request.upgrade != "websocket") {
    return mm::Error::Api(BadRequest("unsupported upgrade: " + request.upgrade));
  }
  auto protocol = NegotiateExecProtocol(request.websocket_protocols);
  if (!protocol) return protocol.error();
  ExecOptions options;
  for (const auto& [name, value] : request.query) {
    if (name == "command") options.command.push_back(value);
  }
  options.attach_stdin = QueryBool(request.Query("stdin"));
  options.attach_stdout = QueryBool(request.Query("stdout"));
  options.attach_stderr = QueryBool(request.Query("stderr"));
  options.tty = QueryBool(request.Query("tty"));
  if (options.command.empty()) {
    return mm::Error::Api(BadRequest("you must specify at least 1 command"));
  }
  if (!options.attach_stdin && !options.attach_stdout && !options.attach_stderr) {
    return mm::Error::Api(BadRequest("you must specify at least 1 of stdin, stdout, stderr"));
  }
  auto container = PickContainer(pod, request.Query("container"));
  if (!container) return container.error();
  const PodRun* run = FindRun(pod);
  const ContainerRun* running = nullptr;
  for (size_t i = 0; run != nullptr && i < run->main.size(); ++i) {
    const ContainerRun& c = run->main[i];
    if (c.name == *container && c.state == ContainerRun::State::kRunning) running = &c;
  }
  const Json* spec = FindContainerSpec(pod, *container);
  if (running == nullptr || spec == nullptr) {
    return KubeletError(500, "container not found (\"" + *container + "\")");
  }
  Response response;
  response.code = 101;
  response.subprotocol = protocol->name;
  response.websocket =
      std::make_shared<ExecSession>(*protocol, std::move(options), ExecTarget(pod, *spec));
  return response;
}

}  // namespace sandbox::sim
