#pragma once

#include <string>
#include <string_view>

namespace sandbox::sim {

// The exit code of a process the kubelet killed with its container (128 + SIGKILL).
inline constexpr int kKilledExitCode = 137;

// Where a simulated exec or attach writes: implemented once per transport (WebSocket channels in
// ws_remote_command.h, SPDY streams in spdy_remote_command.h), so the commands exist once.
class ProcessOutput {
 public:
  virtual ~ProcessOutput() = default;
  // Output on stdout, or stderr when `to_stderr`.
  virtual void Write(bool to_stderr, std::string_view data) = 0;
  // The process ended with `exit_code` (0: the Success status). Called once; nothing follows.
  virtual void Exit(int exit_code) = 0;
};

// A command run in (exec) or attached to (attach) a simulated container, independent of the
// transport. All calls come from the server's single thread.
class RemoteProcess {
 public:
  virtual ~RemoteProcess() = default;
  // Runs it, writing to `output` (which stays valid until Detach). May Exit at once.
  virtual void Start(ProcessOutput* output) = 0;
  // Bytes the client sent on stdin, and the end of its stdin.
  virtual void OnStdin(std::string_view data) = 0;
  virtual void OnStdinEnd() = 0;
  // The container stopped or its pod was deleted: the process ends with kKilledExitCode (an
  // attach ends with Success: the container's output just ended). No-op once ended.
  virtual void Kill() = 0;
  // The client went away: the process never touches its output again.
  virtual void Detach() = 0;
  // The command line, for the Failure status message.
  virtual std::string CommandLine() const = 0;
};

}  // namespace sandbox::sim
