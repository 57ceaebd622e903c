#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/result.h"
#include "kubeapi/client.h"
#include "kubeapi/local_listener.h"

namespace mm::kubeapi {

// One pod port to forward to.
struct PortForwardTarget {
  std::string namespace_name;
  std::string pod;
  int port = 0;
};

// Forwards the connected local socket `fd` (owned by the caller, left open) to `target` over one
// WebSocket (v4.channel.k8s.io, kube-api-wire.md §6.3): checks the port preamble on the data and
// error channels, then copies bytes both ways until either side ends. Returns success when the
// pod or the local peer closed the connection; fails with the text of the error channel
// (kTransport, e.g. "error forwarding port 8065 to pod ...: connection refused"), the upgrade's
// Status (pod not found or not running), kInterrupted on `cancel`, kTransport when the
// connection broke.
Result<void> ForwardConnection(Client& client, const PortForwardTarget& target, int fd,
                               const CancellationToken* cancel);

// Accepts local connections and forwards each, on its own thread and its own WebSocket, to the
// pod `pick` names when the connection arrives (so a restarted pod is replaced for new
// connections). Many connections run at once.
class PortForwarder {
 public:
  // Returns the target for a new connection, or an error (the connection is then closed).
  // Called on the accept thread; it should not block for long.
  using PickTarget = std::function<Result<PortForwardTarget>()>;
  // Told about each connection that ended with an error; called from connection threads.
  using ReportError = std::function<void(const Error& error)>;

  // `client` and `listener` must outlive the forwarder.
  PortForwarder(Client& client, LocalListener& listener, PickTarget pick, ReportError report)
      : client_(client), listener_(listener), pick_(std::move(pick)), report_(std::move(report)) {}

  // Serves until `cancel` fires, then stops every connection and waits for their threads.
  // Returns kInterrupted after the cancel, or the listener's error.
  Result<void> Run(const CancellationToken& cancel);

  int connections_served() const { return served_.load(); }

 private:
  Client& client_;
  LocalListener& listener_;
  PickTarget pick_;
  ReportError report_;
  std::atomic<int> served_{0};
};

}  // namespace mm::kubeapi
