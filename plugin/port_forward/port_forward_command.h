#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kubeapi/cancellation.h"
#include "kubeapi/local_listener.h"
#include "plugin/command.h"
#include "plugin/port_forward/port_spec.h"
#include "plugin/port_forward/ready_pods.h"

namespace mm {

// `kubectl mattermost port-forward NAME [LOCAL[:REMOTE]] [--address 127.0.0.1] [--open]
// [--timeout 5m]`: waits (watching, not polling) until a pod of the installation's Service is
// Ready, listens locally and forwards every accepted connection over its own WebSocket to a ready
// pod, picking another ready pod for new connections when that one goes away. A taken default
// port 8065 is replaced by a free one (and said so). Ctrl-C stops it (exit 130).
class PortForwardOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  // The label selector of the installation's pods: its Service's selector, or the operator's
  // labels when the Service does not exist yet.
  Result<std::string> PodSelector();
  // Waits for a ready pod, prints where to connect, and forwards until `cancel`.
  Result<void> Serve(IOStreams& streams, kubeapi::LocalListener& listener, ReadyPods& pods,
                     kubeapi::CancellationToken& cancel);

  std::vector<std::string> args_;
  std::string address_ = "127.0.0.1";
  bool open_ = false;
  std::string timeout_text_ = "5m";
  std::chrono::milliseconds timeout_{0};
  std::vector<std::string> problems_;  // from Complete, reported by Validate
  PortSpec ports_;
  std::string name_;
  std::string namespace_;
  std::shared_ptr<kubeapi::Client> client_;
  std::mutex output_mutex_;  // connection threads report errors while the accept thread prints
};

CommandSpec PortForwardCommandSpec();

}  // namespace mm
