#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/channel_protocol.h"
#include "tests/sandbox/sim/workload_ports.h"
#include "tests/sandbox/websocket.h"

namespace sandbox::sim {

// The kubelet's text for a forwarded connection that failed: "error forwarding port 5432 to pod
// web_default, uid …: <error>".
std::string PortForwardError(uint16_t port, const std::string& pod_name, const std::string& pod_uid,
                             const std::string& error);

// pods/portforward over WebSocket (v4.channel.k8s.io, its base64 variant, or no subprotocol), as
// the kubelet serves it (wire reference §6.3): right after the 101 the port preamble on both
// channels of every port, then one connection per port to the simulated workload, bytes on the
// data channel 2i both ways, errors as text on channel 2i+1. The session closes the websocket
// once every port's connection has ended; a client close drops the connections. Memory stays
// bounded both ways (kPortForwardHighWater): reading the pods pauses while the client is slow,
// and reading the client pauses while a pod is slow to take what it sent.
class PortForwardSession : public WebSocketHandler {
 public:
  // One requested port: where it goes, or (target failed) the error the kubelet reports.
  struct Port {
    uint16_t port = 0;
    mm::Result<PortTarget> target = PortTarget{};
  };

  // `pod_name` ("name_namespace") and `pod_uid` name the pod in error messages. `workloads`
  // must outlive the session.
  PortForwardSession(ChannelProtocol protocol, std::vector<Port> ports, std::string pod_name,
                     std::string pod_uid, WorkloadPorts& workloads);

  void Start(MessageSink* sink) override;
  void OnMessage(std::string_view message, bool binary) override;
  void OnSent() override;
  void OnClose() override;

 private:
  void Finish(size_t index, const std::string& error);
  void SetReading(bool reading);
  void ResumeClientIfDrained();

  ChannelProtocol protocol_;
  std::vector<Port> ports_;
  std::string pod_name_, pod_uid_;
  WorkloadPorts& workloads_;
  MessageSink* sink_ = nullptr;
  std::vector<std::unique_ptr<PortConnection>> connections_;  // by port index
  std::vector<bool> ended_;  // by port index: the connection reported on_end (or never opened)
  size_t open_ = 0;
  bool paused_ = false;         // not reading the pods: the client is slow
  bool client_paused_ = false;  // not reading the client: a pod is slow
  bool closed_ = false;
};

}  // namespace sandbox::sim
