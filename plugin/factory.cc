#include "kubeapi/discovery_cache.h"
#include "kubeapi/user_agent.h"
#include "plugin/build_info.h"
#include "plugin/command.h"

namespace mm {

Result<kubeapi::RestConfig> Factory::ToRestConfig() {
  if (!rest_config_) {
    kubeapi::LoadingRules rules =
        loading_rules ? *loading_rules : kubeapi::LoadingRulesFromEnvironment(flags.kubeconfig);
    if (loading_rules) rules.explicit_path = flags.kubeconfig;
    kubeapi::InClusterEnvironment environment =
        in_cluster ? *in_cluster : kubeapi::InClusterEnvironmentFromProcess();
    Result<kubeapi::Kubeconfig> config = kubeapi::LoadKubeconfig(rules);
    if (!config) {
      rest_config_.emplace(std::move(config).error());
    } else {
      rest_config_.emplace(kubeapi::BuildRestConfig(*config, flags.Overrides(), environment));
    }
  }
  return *rest_config_;
}

Result<std::shared_ptr<kubeapi::Client>> Factory::Client() {
  if (client_) return client_;
  Result<kubeapi::RestConfig> config = ToRestConfig();
  if (!config) return std::move(config).error();
  std::string cache_root = flags.cache_dir.empty() ? kubeapi::DefaultCacheRoot() : flags.cache_dir;
  kubeapi::ClientOptions options{
      .user_agent = kubeapi::UserAgent(GetBuildInfo().git_version),
      .verbosity = flags.verbosity,
      .log = log,
      .stdin_is_terminal = stdin_is_terminal,
      .discovery_cache_dir =
          cache_root.empty() ? "" : kubeapi::DiscoveryCacheDir(cache_root, config->server),
      .cancel = cancel};
  Result<std::unique_ptr<kubeapi::Client>> client = kubeapi::Client::Create(
      *config, options, make_network ? make_network() : std::unique_ptr<kubeapi::Transport>());
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  return client_;
}

}  // namespace mm
