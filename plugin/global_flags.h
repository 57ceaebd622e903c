#pragma once

#include <cxxopts.hpp>
#include <string>
#include <vector>

#include "kubeapi/rest_config_builder.h"

namespace mm {

// The kubectl connection and logging flags every command accepts (cli-runtime's ConfigFlags plus
// -v). kubectl refuses flags placed before a plugin's name, so the plugin parses them itself.
struct GlobalFlags {
  std::string kubeconfig;
  // The connection overrides, handed to kubeapi as they are.
  kubeapi::ConfigOverrides overrides{.request_timeout = "0"};
  std::vector<std::string> as_user_extra;  // --as-user-extra KEY=VALUE, repeatable
  std::string cache_dir;  // --cache-dir; "" means $KUBECACHEDIR, else ~/.kube/cache
  int verbosity = 0;

  // Returns `overrides` with the --as-user-extra entries folded into impersonate_extra (values of
  // one key in order; an entry without '=' is ignored, as kubectl ignores it).
  kubeapi::ConfigOverrides Overrides() const;
};

// Declares the global flags in cxxopts group "global", bound to `flags` (which must outlive
// parsing).
void AddGlobalFlags(cxxopts::Options& options, GlobalFlags& flags);

// Returns true when `token` (e.g. "-n", "--context") is a global flag that takes its value from
// the next argument (read from AddGlobalFlags' declarations); the command-word search uses it to
// skip flag values.
bool GlobalFlagTakesValue(const std::string& token);

}  // namespace mm
