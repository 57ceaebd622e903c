#include "plugin/global_flags.h"

#include <set>

namespace mm {

void AddGlobalFlags(cxxopts::Options& options, GlobalFlags& flags) {
  using cxxopts::value;
  kubeapi::ConfigOverrides& overrides = flags.overrides;
  cxxopts::OptionAdder add = options.add_options("global");
  add("kubeconfig", "Path to the kubeconfig file to use for CLI requests.",
      value(flags.kubeconfig));
  add("context", "The name of the kubeconfig context to use", value(overrides.context));
  add("cluster", "The name of the kubeconfig cluster to use", value(overrides.cluster));
  add("user", "The name of the kubeconfig user to use", value(overrides.user));
  add("n,namespace", "If present, the namespace scope for this CLI request",
      value(overrides.namespace_name));
  add("s,server", "The address and port of the Kubernetes API server", value(overrides.server));
  add("token", "Bearer token for authentication to the API server", value(overrides.token));
  add("username", "Username for basic authentication to the API server", value(overrides.username));
  add("password", "Password for basic authentication to the API server", value(overrides.password));
  add("as", "Username to impersonate for the operation", value(overrides.impersonate));
  add("as-uid", "UID to impersonate for the operation", value(overrides.impersonate_uid));
  add("as-group", "Group to impersonate for the operation (repeatable)",
      value(overrides.impersonate_groups));
  add("as-user-extra",
      "User extras to impersonate for the operation, KEY=VALUE (repeatable, also for one key)",
      value(flags.as_user_extra));
  add("certificate-authority", "Path to a cert file for the certificate authority",
      value(overrides.certificate_authority));
  add("client-certificate", "Path to a client certificate file for TLS",
      value(overrides.client_certificate));
  add("client-key", "Path to a client key file for TLS", value(overrides.client_key));
  add("tls-server-name", "Server name to use for server certificate validation",
      value(overrides.tls_server_name));
  add("insecure-skip-tls-verify", "If true, the server's certificate will not be checked",
      value(overrides.insecure_skip_tls_verify));
  add("request-timeout",
      "The length of time to wait before giving up on a single server request (e.g. 1s, 2m, 3h); "
      "0 means no timeout",
      value(overrides.request_timeout));
  add("cache-dir",
      "Default cache directory (discovery is cached in DIR/discovery; default $KUBECACHEDIR, "
      "else ~/.kube/cache)",
      value(flags.cache_dir));
  add("v", "Number for the log level verbosity (6: requests, 8: bodies)", value(flags.verbosity));
}

kubeapi::ConfigOverrides GlobalFlags::Overrides() const {
  kubeapi::ConfigOverrides out = overrides;
  for (const std::string& entry : as_user_extra) {
    size_t equals = entry.find('=');
    if (equals == std::string::npos) continue;
    out.impersonate_extra[entry.substr(0, equals)].push_back(entry.substr(equals + 1));
  }
  return out;
}

bool GlobalFlagTakesValue(const std::string& token) {
  // Built once from the declarations above, so a new global flag cannot be forgotten here.
  static const std::set<std::string> kValueFlags = [] {
    GlobalFlags unused;
    cxxopts::Options options("global");
    AddGlobalFlags(options, unused);
    std::set<std::string> names;
    for (const cxxopts::HelpOptionDetails& option : options.group_help("global").options) {
      if (option.is_boolean) continue;
      if (!option.s.empty()) names.insert("-" + option.s);
      for (const std::string& name : option.l) names.insert("--" + name);
    }
    return names;
  }();
  return kValueFlags.count(token) > 0;
}

}  // namespace mm
