#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tests/sandbox/sim/pod_logs.h"
#include "tests/sandbox/sim/remote_process.h"

namespace sandbox::sim {

// pods/attach to a running simulated container: what the container writes from now on (the
// lines its log gets) goes to stdout, until the container's run ends (it terminated, or its pod
// was deleted); then the attach ends with Success, as the kubelet's does. A container with
// `stdin: true` in its spec reads stdin: each line is written back to its output (so it reaches
// the log and every attached client). Without it, stdin is accepted and discarded, as containerd
// does.
class AttachProcess : public RemoteProcess, LogListener {
 public:
  // Writes one line to the container's output; empty when the container has no stdin.
  using StdinWriter = std::function<void(std::string line)>;

  // `logs` must outlive Start; the subscription it hands out may outlive the store.
  AttachProcess(LogStore& logs, std::string uid, std::string container, int run,
                StdinWriter write_stdin);
  ~AttachProcess() override;

  void Start(ProcessOutput* output) override;
  void OnStdin(std::string_view data) override;
  void OnStdinEnd() override;
  void Kill() override { End(); }
  void Detach() override;
  std::string CommandLine() const override { return "attach " + container_; }

 private:
  void OnLine(const LogLine& line) override;
  void OnEnd() override { End(); }
  void End();

  LogStore& logs_;
  std::string uid_, container_;
  int run_;
  StdinWriter write_stdin_;
  std::unique_ptr<LogStore::Subscription> subscription_;
  ProcessOutput* output_ = nullptr;
  std::string partial_line_;  // stdin after the last newline
};

}  // namespace sandbox::sim
