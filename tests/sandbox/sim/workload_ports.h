#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sandbox::sim {

// What a simulated container serves on a port (README's image table).
enum class PortKind {
  kMattermostHttp,  // 8065: GET /api/v4/system/ping -> {"status":"OK","version":"<tag>"}
  kMetrics,         // 8067: GET /metrics -> a few Prometheus lines
  kBulk,            // 9999: client writes a decimal N and '\n'; the server sends N pattern bytes
};

// The simulated ports of mattermost/* server containers.
inline constexpr uint16_t kMattermostHttpPort = 8065;
inline constexpr uint16_t kMetricsPort = 8067;
inline constexpr uint16_t kBulkPort = 9999;

// One port of one running simulated pod, resolved by the simulated kubelet
// (Cluster::ResolvePort) from the pod's containers.
struct PortTarget {
  std::string pod_uid;   // WorkloadPorts::ClosePod(uid) ends the pod's connections
  std::string pod_name;  // "name_namespace", as the kubelet names pods in its errors
  uint16_t port = 0;
  PortKind kind = PortKind::kMattermostHttp;
  std::string version;  // the container image's tag: what the ping answers
};

// What a PortConnection reports, always later on the server's thread (never from inside a call
// into the connection).
struct PortEvents {
  std::function<void(std::string_view data)> on_data;
  // Instead of on_data when set: the bytes read, as `size` bytes at kChunkHeadroom in `chunk`
  // (chunk_pool.h), which the handler keeps (it may write into the headroom; give it back with
  // ReturnChunk or MessageSink::SendSlice).
  std::function<void(std::string chunk, size_t size)> on_chunk;
  // Some bytes given to Write reached the pod (queued_bytes() went down). Optional.
  std::function<void()> on_sent;
  // The connection ended: "" when the pod side closed it cleanly, else why (connection reset,
  // pod deleted). Called at most once; nothing is called after it.
  std::function<void(const std::string& error)> on_end;
};

// A TCP connection from the simulated kubelet to a container port, carrying bytes both ways.
// Destroying it closes the socket; no callback runs after that.
class PortConnection {
 public:
  virtual ~PortConnection() = default;
  // Queues bytes for the pod (sent once the connection is established).
  virtual void Write(std::string bytes) = 0;
  // Half-closes: the pod reads EOF after the queued bytes.
  virtual void CloseWrite() = 0;
  // Flow control: while false, on_data is not called (the socket is not read).
  virtual void SetReading(bool reading) = 0;
  // Bytes given to Write and not yet sent to the pod (the handler stops reading its client while
  // this is large, and resumes on on_sent).
  virtual size_t queued_bytes() const = 0;
};

// The simulated pods' listening ports. The sandbox implements it with real loopback TCP
// listeners, one per PortKind (workload_listeners.h), so a benchmark can also connect directly
// to the same simulated port; port-forward handlers (WebSocket v4 here, SPDY for kubectl) only
// use this interface.
class WorkloadPorts {
 public:
  virtual ~WorkloadPorts() = default;
  // Opens a connection to `target`. Failures (e.g. connection refused) arrive via on_end.
  virtual std::unique_ptr<PortConnection> Connect(const PortTarget& target, PortEvents events) = 0;
  // Resets every open connection to the pod `uid` (the pod was deleted or stopped running):
  // their on_end gets `reason`.
  virtual void ClosePod(const std::string& uid, const std::string& reason) = 0;
};

// Flow control marks shared by the port-forward handlers (WebSocket v4 and SPDY), per direction:
// reading the pod pauses while more than the high mark waits to be sent to the client, and
// reading the client pauses while more than the high mark waits to be sent to a pod; each
// resumes below the low mark.
inline constexpr size_t kPortForwardHighWater = 4 << 20;
inline constexpr size_t kPortForwardLowWater = 1 << 20;

}  // namespace sandbox::sim
