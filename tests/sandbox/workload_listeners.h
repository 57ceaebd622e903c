#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "tests/sandbox/sim/workload_ports.h"

namespace boost::asio {
class io_context;
}

namespace sandbox {

// The simulated pods' ports as real loopback TCP listeners, one per sim::PortKind, on the
// server's event loop. Connections from the simulated kubelet (Connect) are served as the pod
// they target: Connect binds its socket first and registers the pod under that local port, so
// the listener knows whom the peer asked for. Any other peer (a benchmark connecting directly)
// is served as an anonymous pod whose ping reports version "direct". Asio, never Beast.
class WorkloadListeners : public sim::WorkloadPorts {
 public:
  // `ioc` must outlive the listeners.
  explicit WorkloadListeners(boost::asio::io_context& ioc);
  ~WorkloadListeners() override;

  // Binds the listeners on `host` (any free ports). Fails with a transport error.
  mm::Result<void> Listen(const std::string& host);
  // "HOST:PORT" of the listener serving `kind` (after Listen).
  std::string Address(sim::PortKind kind) const;
  // Closes the listeners and every connection (at shutdown).
  void Stop();

  std::unique_ptr<sim::PortConnection> Connect(const sim::PortTarget& target,
                                               sim::PortEvents events) override;
  void ClosePod(const std::string& uid, const std::string& reason) override;

  // Bytes port-forward handlers gave connections to pods that are not yet sent (a slow pod's
  // backlog), now and at most since the start or the last ResetPeak: what /sandbox/metrics
  // reports, so tests can check that a slow pod does not make the sandbox buffer without bound.
  size_t queued_to_pods() const;
  size_t queued_to_pods_peak() const;
  void ResetPeak();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sandbox
