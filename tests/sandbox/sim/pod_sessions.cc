// The simulated kubelet's pods/portforward (WebSocket, and SPDY/3.1 raw or tunnelled), with the
// checks and error texts of kube-apiserver and the kubelet; pods/exec and pods/attach are in
// remote_commands.cc.
#include <algorithm>

#include "tests/sandbox/api_call.h"
#include "tests/sandbox/channel_protocol.h"
#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/kubelet_replies.h"
#include "tests/sandbox/sim/port_forward.h"
#include "tests/sandbox/sim/spdy_port_forward.h"
#include "tests/sandbox/status.h"

namespace sandbox::sim {
namespace {

// What kubectl offers for port-forward: SPDY on the raw connection, or tunnelled in a WebSocket.
const std::string kSpdyStreamProtocol = "portforward.k8s.io";
const std::string kTunnelledSpdyProtocol = "SPDY/3.1+portforward.k8s.io";

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
  if (raw) {
    auto negotiated = NegotiateSpdyProtocol(request.stream_protocols, {kSpdyStreamProtocol});
    if (!negotiated) return KubeletError(403, negotiated.error().message());
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
      std::make_shared<SpdyPortForward>(resolve, PodFullName(pod), run->uid, *workload_ports_,
                                        timers_, config_.stream_creation_timeout);
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

}  // namespace sandbox::sim
