#pragma once

#include <cxxopts.hpp>
#include <string>
#include <vector>

namespace mm {

// The kubectl connection and logging flags every command accepts (cli-runtime's ConfigFlags plus
// -v). kubectl refuses flags placed before a plugin's name, so the plugin parses them itself.
struct GlobalFlags {
  std::string kubeconfig;
  std::string context;
  std::string cluster;
  std::string user;
  std::string namespace_name;
  std::string server;
  std::string token;
  std::string as;
  std::vector<std::string> as_groups;
  std::string certificate_authority;
  std::string client_certificate;
  std::string client_key;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string request_timeout = "0";
  int verbosity = 0;
};

// Declares the global flags in cxxopts group "global", bound to `flags` (which must outlive
// parsing).
void AddGlobalFlags(cxxopts::Options& options, GlobalFlags& flags);

// Returns true when `token` (e.g. "-n", "--context") is a global flag that takes its value from
// the next argument; the command-word search uses it to skip flag values.
bool GlobalFlagTakesValue(const std::string& token);

}  // namespace mm
