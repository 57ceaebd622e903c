#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugin/command.h"

namespace mm {

// `kubectl mattermost uninstall operator [--delete-crds [--yes]]`: deletes what `install
// operator` applied, in reverse order — Deployment, Service, ClusterRoleBinding, ClusterRole,
// ServiceAccount — and keeps the Namespace, the CRDs and every installation (their children keep
// running; client-side mode can take over). --delete-crds also deletes the three CRDs, which
// deletes every Mattermost installation with them: it asks for confirmation unless --yes.
class UninstallOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  bool delete_crds_ = false;
  bool yes_ = false;
  std::string operator_namespace_;  // -n; "" = mattermost-operator
  std::vector<std::string> args_;
  std::shared_ptr<kubeapi::Client> client_;
};

CommandSpec UninstallCommandSpec();

}  // namespace mm
