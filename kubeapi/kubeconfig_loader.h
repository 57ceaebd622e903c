#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/kubeconfig.h"

namespace mm::kubeapi {

// Where kubeconfig files come from (client-go's ClientConfigLoadingRules), taken from the flags
// and the environment by the caller so tests need no real environment.
struct LoadingRules {
  std::string explicit_path;   // --kubeconfig: that file only, which must exist
  std::string kubeconfig_env;  // $KUBECONFIG, ':'-separated; "" when unset
  std::string home;            // $HOME, for ~/.kube/config
};

// Returns the LoadingRules for `explicit_path` and this process' KUBECONFIG and HOME.
LoadingRules LoadingRulesFromEnvironment(const std::string& explicit_path);

// Returns the files client-go would read, in precedence order: the explicit path alone, else the
// KUBECONFIG entries (empty entries and duplicates dropped), else ~/.kube/config.
std::vector<std::string> KubeconfigPrecedence(const LoadingRules& rules);

// Loads and merges the kubeconfig files named by `rules` (first file wins per named entry and for
// current-context). Missing files in KUBECONFIG or ~/.kube/config are skipped; a missing explicit
// file fails with "stat <path>: no such file or directory"; an unreadable or malformed file fails
// with `error loading config file "<path>": <problem>`. All errors are kConfig.
Result<Kubeconfig> LoadKubeconfig(const LoadingRules& rules);

}  // namespace mm::kubeapi
