#include "tests/sandbox/sim/exec_process.h"

namespace sandbox::sim {

ExecProcess::ExecProcess(std::vector<std::string> argv, bool attach_stdin, ExecContainer container)
    : argv_(std::move(argv)), attach_stdin_(attach_stdin), container_(std::move(container)) {}

std::string ExecProcess::CommandLine() const {
  std::string out;
  for (const auto& word : argv_) out += (out.empty() ? "" : " ") + word;
  return out;
}

void ExecProcess::Start(ProcessOutput* output) {
  output_ = output;
  if (argv_.size() == 1 && (argv_[0] == "cat" || argv_[0] == "/bin/cat")) {
    if (attach_stdin_) {
      streaming_stdin_ = true;
      return;
    }
    Exit(0);
    return;
  }
  ExecResult result = RunBuiltin(container_, argv_);
  if (!result.out.empty()) output_->Write(false, result.out);
  if (output_ != nullptr && !result.err.empty()) output_->Write(true, result.err);
  Exit(result.exit_code);
}

void ExecProcess::OnStdin(std::string_view data) {
  if (streaming_stdin_ && output_ != nullptr && !data.empty()) output_->Write(false, data);
}

void ExecProcess::OnStdinEnd() {
  if (streaming_stdin_) Exit(0);
}

void ExecProcess::Kill() {
  if (streaming_stdin_) Exit(kKilledExitCode);
}

void ExecProcess::Exit(int exit_code) {
  streaming_stdin_ = false;
  ProcessOutput* output = output_;
  output_ = nullptr;
  if (output != nullptr) output->Exit(exit_code);
}

}  // namespace sandbox::sim
