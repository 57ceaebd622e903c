#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/result.h"
#include "tests/sandbox/sim/timers.h"
#include "tests/sandbox/sim/workload_ports.h"
#include "tests/sandbox/spdy/port_forward_session.h"
#include "tests/sandbox/websocket.h"

namespace sandbox::sim {

// pods/portforward over SPDY/3.1 (`portforward.k8s.io`), the protocol real kubectl speaks: on the
// raw connection after `101 Switching Protocols` with `Upgrade: SPDY/3.1`, or tunnelled in
// WebSocket binary messages (subprotocol `SPDY/3.1+portforward.k8s.io`). Either way the messages
// are a byte stream fed to spdy::PortForwardSession; every forwarded connection (an error and a
// data stream) opens its own connection to the simulated workload port. kubectl's SPDY
// (spdystream) does no flow control (it neither sends nor honours WINDOW_UPDATE), so memory is
// bounded at the transport instead, at the same marks as the WebSocket port-forward
// (kPortForwardHighWater, kPortForwardLowWater): reading from the pods pauses while the client is
// slow, and reading from the client pauses while a pod is slow to take what it sent.
class SpdyPortForward : public WebSocketHandler,
                        public std::enable_shared_from_this<SpdyPortForward> {
 public:
  // Where a port goes when a connection asks for it, or the kubelet's error text.
  using Resolver = std::function<mm::Result<PortTarget>(uint16_t port)>;

  // `pod_name` ("name_namespace") and `pod_uid` name the pod in error messages. `workloads`
  // and `timers` must outlive the handler. A forwarded connection whose data or error stream
  // has not arrived `stream_creation_timeout` after the other is given up, as the kubelet does.
  SpdyPortForward(Resolver resolve, std::string pod_name, std::string pod_uid,
                  WorkloadPorts& workloads, Timers& timers,
                  std::chrono::milliseconds stream_creation_timeout);

  void Start(MessageSink* sink) override;
  void OnMessage(std::string_view message, bool binary) override;
  void OnSent() override;
  void OnClose() override;

 private:
  void Carry();  // runs the session's actions and sends its output
  void Connect(uint32_t connection, uint16_t port);
  void Flush();
  void SetReading(bool reading);
  void DropEnded();
  void WatchNewPairs();
  void ResumeClientIfDrained();

  Resolver resolve_;
  std::string pod_name_, pod_uid_;
  WorkloadPorts& workloads_;
  Timers& timers_;
  std::chrono::milliseconds stream_creation_timeout_;
  MessageSink* sink_ = nullptr;
  spdy::PortForwardSession session_;
  std::map<uint32_t, std::unique_ptr<PortConnection>> connections_;  // by data stream id
  std::vector<uint32_t> ended_;  // connections whose on_end ran (destroyed outside callbacks)
  bool paused_ = false;          // not reading the pods: the client is slow
  bool client_paused_ = false;   // not reading the client: a pod is slow
  bool closed_ = false;
};

}  // namespace sandbox::sim
