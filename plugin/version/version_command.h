#pragma once

#include "plugin/command.h"
#include "plugin/output_format.h"

namespace mm {

// `kubectl mattermost version [--client] [-o json|yaml]`: prints the plugin's version, git commit
// and platform. Without --client it also asks the API server (GET /version) and prints its
// version; when the server cannot be reached it prints the client version, then fails with
// kubectl's connection error.
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
  std::shared_ptr<kubeapi::Client> client_;  // null with --client
};

CommandSpec VersionCommandSpec();

}  // namespace mm
