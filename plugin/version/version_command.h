#pragma once

#include "plugin/command.h"
#include "plugin/output_format.h"

namespace mm {

// `kubectl mattermost version [--client] [-o json|yaml]`: prints the plugin's version, git commit
// and platform. Without --client it will also report the server's and the operator's versions
// once the Kubernetes client exists; until then it says that it did not ask the server.
class VersionOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  bool client_only_ = false;
  std::string output_;
  OutputFormat format_ = OutputFormat::kHuman;
  std::vector<std::string> args_;
};

CommandSpec VersionCommandSpec();

}  // namespace mm
