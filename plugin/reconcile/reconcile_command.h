#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugin/command.h"
#include "plugin/engine/cluster_reader.h"
#include "plugin/engine/object_cache.h"

namespace mm {

// `kubectl mattermost reconcile [NAME | --all | -A] [--dry-run] [--watch]`: runs the operator's
// reconcile client-side, once per installation (the engine in plugin/engine/), refusing while the
// operator is running. --watch keeps going as a local operator until Ctrl-C.
class ReconcileOptions : public Command {
 public:
  void AddFlags(cxxopts::Options& options) override;
  Result<void> Complete(Factory& factory, const std::vector<std::string>& args) override;
  Result<void> Validate() const override;
  Result<void> Run(IOStreams& streams) override;

 private:
  // --all/-A: refuses while the operator runs, then reconciles every installation listed.
  Result<void> RunAll(IOStreams& streams);
  // --all/-A: refuses while the operator runs (with -A, found in the Deployments `load` lists
  // into `cache`), then lists the installations into `cache`. Returns them as (namespace, name).
  Result<std::vector<std::pair<std::string, std::string>>> Targets(
      engine::ObjectCache& cache, const engine::CachedReader::Loader& load);
  // One pass over each target, reading through `reader` (null: straight from the server).
  Result<void> Reconcile(const std::vector<std::pair<std::string, std::string>>& targets,
                         engine::ClusterReader* reader, IOStreams& streams);

  bool all_ = false;
  bool all_namespaces_ = false;
  bool dry_run_ = false;
  bool watch_ = false;
  bool stand_in_ = false;  // act although the operator is available (tests' stand-in operator)
  int max_concurrent_ = 20;
  int verbosity_ = 0;
  std::vector<std::string> args_;
  std::string namespace_;
  std::shared_ptr<kubeapi::Client> client_;
};

CommandSpec ReconcileCommandSpec();

}  // namespace mm
