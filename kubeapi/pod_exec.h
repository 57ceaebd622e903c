#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "kubeapi/websocket.h"

namespace mm::kubeapi {

// A command to run in a pod's container (kubectl exec), and where its output goes.
struct ExecRequest {
  std::string namespace_name;
  std::string pod;
  std::string container;  // "" : the pod's only (or default) container
  std::vector<std::string> command;
  // Sent as standard input, then closed (v5: a close message on channel 0; v4 cannot signal
  // end of input, so the command must not wait for it). nullopt: no stdin at all.
  std::optional<std::string> stdin_data;
  std::function<void(std::string_view)> on_stdout;  // may be null: output dropped
  std::function<void(std::string_view)> on_stderr;
  const CancellationToken* cancel = nullptr;
  SteadyTime deadline = SteadyTime::max();
};

struct ExecResult {
  int exit_code = 0;
  std::string protocol;  // the negotiated subprotocol, e.g. v5.channel.k8s.io
};

// Runs `request.command` over a WebSocket offering v5.channel.k8s.io then v4.channel.k8s.io.
// Returns the command's exit code from the channel-3 Status (0 for Success, the ExitCode cause of
// NonZeroExitCode). Fails with the Status for other failures (e.g. the command was not found),
// the upgrade's Status (pod not found, not running), kTimeout at the deadline, kInterrupted on
// cancel, kTransport when the connection broke before a Status arrived.
Result<ExecResult> ExecInPod(Client& client, const ExecRequest& request);

// Returns the exit code a channel-3 Status (JSON) reports: 0 for Success, the ExitCode cause for
// reason NonZeroExitCode; fails with kApi carrying the Status for any other Failure and kInvalid
// when `json` is not a Status.
Result<int> ExitCodeFromStatus(std::string_view json);

}  // namespace mm::kubeapi
