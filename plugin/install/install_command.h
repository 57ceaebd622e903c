#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mattermost/mattermost.h"
#include "plugin/command.h"
#include "plugin/dry_run_flag.h"
#include "plugin/install/installer.h"
#include "plugin/install/mattermost_resource.h"
#include "plugin/output_format.h"

namespace mm {

// How install NAME gets the installation reconciled.
enum class InstallMode { kAuto, kOperator, kClient };

// `kubectl mattermost install operator [flags]`: applies the embedded operator manifest (see
// operator_install.h).
// `kubectl mattermost install NAME [flags]`: builds (from flags) or reads (-f) a Mattermost,
// validates it with core's messages, checks what it refers to, creates the secrets it was given
// as files, applies it (server-side apply), and — in client-side mode — installs the CRD when
// missing and reconciles it as the operator would. --wait ends at the provisioner's stable test.
class InstallOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  Result<void> ValidateOperator() const;
  Result<void> ValidateOperatorOnlyFlags() const;
  Result<void> RunOperator(IOStreams& streams);
  Result<std::optional<rapidjson::Document>> LiveInstallation();
  Result<std::optional<rapidjson::Document>> ReadManifest(IOStreams& streams) const;
  Result<void> AddSecrets(const MattermostSpec& spec, InstallPlan& plan) const;

  InstallFlags flags_;
  std::string filename_;
  std::string database_url_file_;
  std::string license_file_;
  std::vector<std::string> env_values_;
  std::string replicas_text_;
  bool create_namespace_ = false;
  std::string mode_text_ = "auto";
  DryRunFlag dry_run_;
  std::string output_;
  bool wait_ = false;
  std::string timeout_text_;        // "" = 10m (5m for the operator)
  std::string from_file_;           // install operator --from
  std::string mysql_operator_;      // install operator --with-mysql-operator
  std::string minio_operator_;      // install operator --with-minio-operator
  std::string operator_namespace_;  // install operator -n
  bool operator_ = false;           // `install operator`

  std::vector<std::string> args_;
  InstallMode mode_ = InstallMode::kAuto;
  OutputFormat format_ = OutputFormat::kHuman;
  std::chrono::milliseconds timeout_{0};
  std::vector<std::string> problems_;  // found in Complete, reported by Validate
  std::shared_ptr<kubeapi::Client> client_;
};

CommandSpec InstallCommandSpec();

}  // namespace mm
