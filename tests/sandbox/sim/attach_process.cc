#include "tests/sandbox/sim/attach_process.h"

namespace sandbox::sim {

AttachProcess::AttachProcess(LogStore& logs, std::string uid, std::string container, int run,
                             StdinWriter write_stdin)
    : logs_(logs),
      uid_(std::move(uid)),
      container_(std::move(container)),
      run_(run),
      write_stdin_(std::move(write_stdin)) {}

AttachProcess::~AttachProcess() = default;

void AttachProcess::Start(ProcessOutput* output) {
  output_ = output;
  if (logs_.Ended(uid_, container_, run_)) {
    End();
    return;
  }
  subscription_ = logs_.Listen(uid_, container_, run_, this);
}

void AttachProcess::OnLine(const LogLine& line) {
  if (output_ != nullptr) output_->Write(false, line.text + "\n");
}

void AttachProcess::OnStdin(std::string_view data) {
  if (!write_stdin_ || output_ == nullptr) return;
  partial_line_.append(data);
  size_t newline;
  while ((newline = partial_line_.find('\n')) != std::string::npos) {
    std::string line = partial_line_.substr(0, newline);
    partial_line_.erase(0, newline + 1);
    write_stdin_(std::move(line));
  }
}

void AttachProcess::OnStdinEnd() {
  // The container keeps running (and the attach with it); a last unterminated line is read.
  if (write_stdin_ && !partial_line_.empty() && output_ != nullptr) {
    write_stdin_(std::move(partial_line_));
  }
  partial_line_.clear();
}

void AttachProcess::End() {
  subscription_.reset();
  ProcessOutput* output = output_;
  output_ = nullptr;
  if (output != nullptr) output->Exit(0);
}

void AttachProcess::Detach() {
  subscription_.reset();
  output_ = nullptr;
}

}  // namespace sandbox::sim
