#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugin/command.h"
#include "plugin/output_format.h"

namespace mm {

// `kubectl mattermost status [NAME] [-n NS | -A] [-o wide|yaml|json]`: a table of Mattermost
// installations (state, version, replicas ready/desired, endpoint, age, mode, last error); for
// one NAME also its pods, update job, ingress, recent warning events and what to do next.
class StatusOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  Result<void> RunOne(IOStreams& streams, const std::string& mode);

  bool all_namespaces_ = false;
  std::string output_;
  std::vector<std::string> args_;
  std::string namespace_;
  bool namespace_explicit_ = false;
  OutputFormat format_ = OutputFormat::kHuman;
  std::shared_ptr<kubeapi::Client> client_;
};

CommandSpec StatusCommandSpec();

}  // namespace mm
