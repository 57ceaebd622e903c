#pragma once

#include <string>
#include <vector>

#include "tests/sandbox/sim/exec_commands.h"
#include "tests/sandbox/sim/remote_process.h"

namespace sandbox::sim {

// pods/exec of one built-in command (exec_commands.h) in a simulated container. `cat` (with
// stdin attached) echoes stdin to stdout until stdin ends, then exits 0; every other command runs
// to completion at Start.
class ExecProcess : public RemoteProcess {
 public:
  ExecProcess(std::vector<std::string> argv, bool attach_stdin, ExecContainer container);

  void Start(ProcessOutput* output) override;
  void OnStdin(std::string_view data) override;
  void OnStdinEnd() override;
  void Kill() override;
  void Detach() override { output_ = nullptr; }
  std::string CommandLine() const override;

 private:
  void Exit(int exit_code);

  std::vector<std::string> argv_;
  bool attach_stdin_;
  ExecContainer container_;
  ProcessOutput* output_ = nullptr;
  bool streaming_stdin_ = false;  // `cat` is running
};

}  // namespace sandbox::sim
