#pragma once

#include <cxxopts.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "kubeapi/kubeconfig_loader.h"
#include "kubeapi/rest_config.h"
#include "kubeapi/rest_config_builder.h"
#include "plugin/global_flags.h"
#include "plugin/io_streams.h"

namespace mm {

// What every command can draw on while completing: the global flags, how the user invoked us, and
// (like kubectl's cmdutil.Factory) the connection settings built from kubeconfig and the flags.
struct Factory {
  GlobalFlags flags;
  std::string display_name;  // "kubectl mattermost" or "kubectl-mattermost"
  // Where kubeconfig loading looks; unset means this process' KUBECONFIG, HOME and in-cluster
  // environment. Tests set them.
  std::optional<kubeapi::LoadingRules> loading_rules;
  std::optional<kubeapi::InClusterEnvironment> in_cluster;
  // Where -v request logs go (the CLI sets its stderr); null: nowhere.
  std::ostream* log = nullptr;
  bool stdin_is_terminal = false;
  // Makes the bottom transport; unset means NativeTransport. Tests install a recording fake.
  std::function<std::unique_ptr<kubeapi::Transport>()> make_network;
  // Cancelled by Ctrl-C (the CLI's InterruptGuard); the client passes it with every request that
  // has no token of its own. Null: nothing cancels.
  const kubeapi::CancellationToken* cancel = nullptr;

  // Returns the connection settings for the flags (kubeconfig loading rules, then overrides),
  // loading them on the first call and returning the same result afterwards. Fails with kConfig
  // and kubectl's texts for a missing or malformed kubeconfig or an unknown context.
  Result<kubeapi::RestConfig> ToRestConfig();

  // Returns the API client for the flags, built on the first call and shared afterwards (the
  // Factory and every caller co-own it). Fails like ToRestConfig.
  Result<std::shared_ptr<kubeapi::Client>> Client();

 private:
  std::optional<Result<kubeapi::RestConfig>> rest_config_;
  std::shared_ptr<kubeapi::Client> client_;
};

// One CLI command, written as kubectl writes its commands: an Options object whose phases run in
// order AddFlags -> (parse) -> Complete -> Validate -> Run. Only Run may talk to the cluster or
// write output.
class Command {
 public:
  virtual ~Command() = default;
  // Declares the command's own flags, bound to its option fields.
  virtual void AddFlags(cxxopts::Options& options) = 0;
  // Resolves defaults and derived values from the parsed flags and the positional `args`.
  virtual Result<void> Complete(Factory& factory, const std::vector<std::string>& args) = 0;
  // Checks the options for consistency. No I/O.
  virtual Result<void> Validate() const = 0;
  // Does the work, writing only to `streams`.
  virtual Result<void> Run(IOStreams& streams) = 0;
};

// A row of the command table: what help shows and how to make the command.
struct CommandSpec {
  std::string name;
  std::string summary;      // one line, for the root help's command list
  std::string description;  // a paragraph for the command's own help
  std::string usage;        // arguments after the command path, e.g. "[--client] [-o json|yaml]"
  std::string examples;     // lines; "$" is replaced by the display name
  std::function<std::unique_ptr<Command>()> make;
};

}  // namespace mm
