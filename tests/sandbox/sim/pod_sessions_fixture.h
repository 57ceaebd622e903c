#pragma once
// The fixture of the tests of the simulated kubelet's streams (exec, attach, port-forward):
// a cluster on a virtual clock, a recording message sink and fake workload ports.

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/sandbox/chunk_pool.h"
#include "tests/sandbox/sim/cluster_fixture.h"
#include "tests/sandbox/spdy/fake_kubectl.h"
#include "tests/sandbox/websocket.h"

namespace sandbox::sim {

class RecordingSink : public MessageSink {
 public:
  void Send(std::string message) override { messages.push_back(std::move(message)); }
  void Close() override { closed = true; }
  size_t queued_bytes() const override { return 0; }
  void SetReading(bool on) override { reading = on; }
  std::vector<std::string> messages;
  bool closed = false;
  bool reading = true;
};

// Workload ports that record connections; tests play the pod's side.
class FakePorts : public WorkloadPorts {
 public:
  // A pod that takes nothing until the test moves `drained` on.
  struct Conn : PortConnection {
    void Write(std::string bytes) override { written += bytes; }
    void CloseWrite() override {}
    void SetReading(bool) override {}
    size_t queued_bytes() const override { return written.size() - drained; }
    std::string written;
    size_t drained = 0;
  };
  std::unique_ptr<PortConnection> Connect(const PortTarget& target, PortEvents events) override {
    targets.push_back(target);
    this->events.push_back(std::move(events));
    auto conn = std::make_unique<Conn>();
    conns.push_back(conn.get());
    return conn;
  }
  void ClosePod(const std::string& uid, const std::string& reason) override {
    closed.push_back(uid + ": " + reason);
  }
  std::vector<PortTarget> targets;
  std::vector<PortEvents> events;
  std::vector<Conn*> conns;
  std::vector<std::string> closed;
};

// The pod sends `data` on a connection, delivered as the loopback listeners deliver it: in a
// pooled chunk to on_chunk when the handler takes chunks, else to on_data.
inline void PodSends(const PortEvents& events, std::string_view data) {
  if (!events.on_chunk) return events.on_data(data);
  std::string chunk = TakeChunk();
  chunk.replace(kChunkHeadroom, data.size(), data);
  events.on_chunk(std::move(chunk), data.size());
}

inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

// kubectl's raw SPDY upgrade: POST with Upgrade: SPDY/3.1 (port-forward: no ports parameter;
// exec and attach: `subresource` with the query).
inline Request SpdyUpgrade(const std::string& pod, std::vector<std::string> stream_protocols,
                           const std::string& subresource = "/portforward") {
  Request r = TestRequest("POST", pod + subresource, "", "admin");
  r.upgrade = "spdy/3.1";
  r.stream_protocols = std::move(stream_protocols);
  return r;
}

class PodSessionsTest : public ClusterTest {
 protected:
  PodSessionsTest() { cluster_.set_workload_ports(&ports_); }

  // How long a WebSocket exec's or attach's output waits after the announcement (the default).
  static inline const milliseconds kLatency = SimConfig{}.remote_command_latency;

  // Starts a one-pod Deployment of `image` and returns the pod's path.
  std::string RunPod(const std::string& image, milliseconds wait = milliseconds(1000)) {
    std::string d = Deployment(image);
    d.replace(d.find("\"replicas\":2"), 12, "\"replicas\":1");
    d.replace(d.find("\"name\":\"web\",\"image\""), 20,
              R"("name":"web","env":[{"name":"A","value":"1"},{"name":"DSN","valueFrom":)"
              R"({"secretKeyRef":{"name":"db","key":"dsn"}}}],"image")");
    EXPECT_EQ(Call("POST", "/apis/apps/v1/namespaces/default/deployments", d).code, 201);
    timers_.RunFor(wait);
    return "/api/v1/namespaces/default/pods/" + Names("/api/v1/namespaces/default/pods");
  }
  Response Upgrade(const std::string& target, std::vector<std::string> protocols) {
    Request r = TestRequest("GET", target, "", "admin");
    r.upgrade = "websocket";
    r.websocket_protocols = std::move(protocols);
    return api_.Handle(r);
  }
  // Runs an exec to completion; returns the messages as "channel:payload" lines.
  std::string Exec(const std::string& pod, const std::string& query,
                   const std::string& protocol = "v5.channel.k8s.io") {
    Response r = Upgrade(pod + "/exec?" + query, {protocol});
    if (r.code != 101) return std::to_string(r.code) + " " + r.body;
    RecordingSink sink;
    r.websocket->Start(&sink);
    timers_.RunFor(kLatency);  // the trip to the kubelet
    EXPECT_TRUE(sink.closed);
    std::string out;
    for (const auto& m : sink.messages)
      out += std::to_string(uint8_t(m[0])) + ":" + m.substr(1) + "\n";
    return out;
  }

  // Upgrades `subresource` (path and query) of a running mattermost pod offering `protocol`,
  // and starts the session on `sink`; null (with a failed expectation) unless it answered 101.
  std::shared_ptr<WebSocketHandler> StartOnMattermostPod(const std::string& subresource,
                                                         const std::string& protocol,
                                                         RecordingSink& sink) {
    std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
    Response r = Upgrade(pod + subresource, {protocol});
    EXPECT_EQ(r.code, 101) << r.body;
    if (r.websocket != nullptr) r.websocket->Start(&sink);
    return r.websocket;
  }
  // A raw SPDY port-forward to a running mattermost pod, started on `sink`, whose first message
  // opens kubectl's first connection to port 8065 (streams 1 and 3) followed by `more` frames.
  std::shared_ptr<WebSocketHandler> OpenSpdyForward(RecordingSink& sink,
                                                    spdy::fake::FakeKubectl& kubectl,
                                                    const std::string& more) {
    std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
    Response r = api_.Handle(SpdyUpgrade(pod, {"portforward.k8s.io"}));
    EXPECT_EQ(r.code, 101) << r.body;
    if (r.websocket == nullptr) return nullptr;
    r.websocket->Start(&sink);
    r.websocket->OnMessage(spdy::fake::Join({kubectl.OpenStream(1, "error", "8065", "0"),
                                             kubectl.OpenStream(3, "data", "8065", "0"), more}),
                           true);
    return r.websocket;
  }

  FakePorts ports_;
};

}  // namespace sandbox::sim
