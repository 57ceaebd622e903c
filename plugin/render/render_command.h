#pragma once

#include <string>
#include <vector>

#include "core/mattermost/cluster_facts.h"
#include "plugin/command.h"
#include "plugin/output_format.h"

namespace mm {

// `kubectl mattermost render -f mattermost.yaml [-o yaml|json]`: prints, offline, the defaulted
// Mattermost and every object the operator would create for it. The cluster facts the operator
// looks up come from the file (a Secret named by spec.database.external.secret) or from flags.
// With --operator it prints the embedded operator installation manifest instead (manifests/).
class RenderOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  Result<void> PrintOperatorManifest(IOStreams& streams) const;

  std::string filename_;
  std::string output_;
  std::vector<std::string> db_secret_keys_;
  std::string mysql_database_ = "mattermost";
  int minio_port_ = 9000;
  bool operator_manifest_ = false;
  std::string namespace_;
  OutputFormat format_ = OutputFormat::kYaml;
  std::vector<std::string> args_;
};

CommandSpec RenderCommandSpec();

}  // namespace mm
