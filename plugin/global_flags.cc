#include "plugin/global_flags.h"

#include <array>
#include <string_view>

namespace mm {

void AddGlobalFlags(cxxopts::Options& options, GlobalFlags& flags) {
  using cxxopts::value;
  cxxopts::OptionAdder add = options.add_options("global");
  add("kubeconfig", "Path to the kubeconfig file to use for CLI requests.",
      value(flags.kubeconfig));
  add("context", "The name of the kubeconfig context to use", value(flags.context));
  add("cluster", "The name of the kubeconfig cluster to use", value(flags.cluster));
  add("user", "The name of the kubeconfig user to use", value(flags.user));
  add("n,namespace", "If present, the namespace scope for this CLI request",
      value(flags.namespace_name));
  add("s,server", "The address and port of the Kubernetes API server", value(flags.server));
  add("token", "Bearer token for authentication to the API server", value(flags.token));
  add("as", "Username to impersonate for the operation", value(flags.as));
  add("as-group", "Group to impersonate for the operation (repeatable)", value(flags.as_groups));
  add("certificate-authority", "Path to a cert file for the certificate authority",
      value(flags.certificate_authority));
  add("client-certificate", "Path to a client certificate file for TLS",
      value(flags.client_certificate));
  add("client-key", "Path to a client key file for TLS", value(flags.client_key));
  add("tls-server-name", "Server name to use for server certificate validation",
      value(flags.tls_server_name));
  add("insecure-skip-tls-verify", "If true, the server's certificate will not be checked",
      value(flags.insecure_skip_tls_verify));
  add("request-timeout",
      "The length of time to wait before giving up on a single server request (e.g. 1s, 2m, 3h); "
      "0 means no timeout",
      value(flags.request_timeout));
  add("v", "Number for the log level verbosity (6: requests, 8: bodies)", value(flags.verbosity));
}

bool GlobalFlagTakesValue(const std::string& token) {
  static constexpr std::array<std::string_view, 18> kValueFlags = {"--kubeconfig",
                                                                   "--context",
                                                                   "--cluster",
                                                                   "--user",
                                                                   "-n",
                                                                   "--namespace",
                                                                   "-s",
                                                                   "--server",
                                                                   "--token",
                                                                   "--as",
                                                                   "--as-group",
                                                                   "--certificate-authority",
                                                                   "--client-certificate",
                                                                   "--client-key",
                                                                   "--tls-server-name",
                                                                   "--request-timeout",
                                                                   "-v",
                                                                   "--v"};
  for (std::string_view flag : kValueFlags) {
    if (token == flag) return true;
  }
  return false;
}

}  // namespace mm
