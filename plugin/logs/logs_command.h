#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kubeapi/pod_logs.h"
#include "plugin/command.h"

namespace mm {

// `kubectl mattermost logs NAME [--job update|restore] [--operator] [-c CONTAINER] [-f]
// [--tail N] [--since 10m] [--timestamps] [--all-pods] [--prefix]`: the logs of an
// installation's app pods (interleaved by time, each line prefixed with its pod), of its update
// or restore job, or of the operator. -f follows every matching pod, including pods that appear
// later (a rollout), and for --job ends when the job has finished and its log is read.
class LogsOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  // Which pods: label selectors in one namespace; the job they belong to ("" for none).
  struct Selection {
    std::string namespace_name;
    std::vector<std::string> selectors;
    std::string job;
    bool prefix = false;
  };
  Result<Selection> Select();
  Result<std::string> OperatorNamespace();
  Result<void> Print(const Selection& selection, IOStreams& streams);
  Result<void> Follow(const Selection& selection, IOStreams& streams);
  kubeapi::PodLogOptions LogOptions() const;

  // Flags.
  std::string job_;
  bool operator_ = false;
  std::string container_;
  bool follow_ = false;
  int64_t tail_ = -1;
  std::string since_text_;
  bool timestamps_ = false;
  bool all_pods_ = false;
  bool prefix_ = false;

  // Completed.
  std::vector<std::string> args_;
  std::string name_;
  std::string namespace_;
  bool namespace_explicit_ = false;
  std::optional<int64_t> since_seconds_;
  bool since_valid_ = true;
  std::shared_ptr<kubeapi::Client> client_;
};

CommandSpec LogsCommandSpec();

}  // namespace mm
