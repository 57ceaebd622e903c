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
  int verbosity = 0;
};

// Declares the global flags in cxxopts group "global", bound to `flags` (which must outlive
// parsing).
void AddGlobalFlags(cxxopts::Options& options, GlobalFlags& flags);

// Returns true when `token` (e.g. "-n", "--context") is a global flag that takes its value from
// the next argument (read from AddGlobalFlags' declarations); the command-word search uses it to
// skip flag values.
bool GlobalFlagTakesValue(const std::string& token);

}  // namespace mm
