#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/mattermost/upgrade.h"
#include "plugin/command.h"
#include "plugin/dry_run_flag.h"
#include "plugin/upgrade/upgrade_printer.h"

namespace mm {

// `kubectl mattermost upgrade NAME --version V [--image I] [--wait] [--timeout 15m]
// [--allow-downtime] [--force] [--rollback] [--dry-run=client|server]`: checks that the upgrade
// is safe (valid version, installation stable, no unforced downgrade, no single replica without
// --allow-downtime), sets spec.version/spec.image by server-side apply (keeping the previous
// values in annotations for --rollback), then follows the upgrade — driving its steps itself in
// client-side mode (update job, then the Deployment), watching the operator do them otherwise —
// and reports the job's log and the rollout as they happen.
class UpgradeOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  // Reads the installation and what the pre-checks need; fills target_ and facts_.
  Result<void> Inspect(const rapidjson::Value& live);
  Result<void> DryRun(const rapidjson::Value& live, IOStreams& streams);
  Result<void> ApplyTarget(IOStreams& streams);
  Result<void> Follow(IOStreams& streams, const kubeapi::CancellationToken& cancel);
  Error Failure(const UpgradeProgress& progress, UpgradePrinter& printer, IOStreams& streams);
  std::string What() const { return "Mattermost " + namespace_ + "/" + name_; }

  // Flags.
  std::string version_;
  std::string image_;
  bool wait_ = false;
  std::string timeout_text_ = "15m";
  bool allow_downtime_ = false;
  bool force_ = false;
  bool rollback_ = false;
  DryRunFlag dry_run_;

  // Completed.
  std::vector<std::string> args_;
  std::string name_;
  std::string namespace_;
  std::string display_name_;
  std::chrono::milliseconds timeout_{0};
  bool timeout_valid_ = true;
  std::shared_ptr<kubeapi::Client> client_;

  // Found by Run.
  bool client_mode_ = false;
  UpgradeFacts facts_;
  UpgradeRequest request_;
  std::string previous_version_;  // what the annotation records after this upgrade
  std::string previous_image_;
};

CommandSpec UpgradeCommandSpec();

}  // namespace mm
