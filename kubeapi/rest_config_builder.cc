#include "kubeapi/rest_config_builder.h"

#include <cstdlib>

#include "kubeapi/credentials_builder.h"
#include "kubeapi/duration.h"
#include "kubeapi/file_util.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up only
  return value == nullptr ? std::string() : std::string(value);
}

std::string TrimSpace(std::string text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  size_t start = text.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? std::string() : text.substr(start);
}

// The selected kubeconfig entries before overrides.
struct Selection {
  std::string cluster_name;
  std::string user_name;
  ClusterEntry cluster;
  AuthInfoEntry user;
  std::string context_name;
  std::string context_namespace;
};

Result<Selection> SelectFromKubeconfig(const Kubeconfig& config, const ConfigOverrides& overrides) {
  Selection selection;
  selection.context_name = overrides.context.empty() ? config.current_context : overrides.context;
  auto context = config.contexts.find(selection.context_name);
  if (!overrides.context.empty() && context == config.contexts.end()) {
    return Error::Config("invalid configuration: context was not found for specified context: " +
                         overrides.context);
  }
  ContextEntry entry = context == config.contexts.end() ? ContextEntry{} : context->second;
  selection.context_namespace = entry.namespace_name;
  selection.cluster_name = overrides.cluster.empty() ? entry.cluster : overrides.cluster;
  selection.user_name = overrides.user.empty() ? entry.user : overrides.user;
  auto user = config.users.find(selection.user_name);
  if (!overrides.user.empty() && user == config.users.end()) {
    return Error::Config("auth info \"" + overrides.user + "\" does not exist");
  }
  auto cluster = config.clusters.find(selection.cluster_name);
  if (!overrides.cluster.empty() && cluster == config.clusters.end()) {
    return Error::Config("no server found for cluster \"" + overrides.cluster + "\"");
  }
  if (cluster != config.clusters.end()) {
    selection.cluster = cluster->second;
    if (selection.cluster.server.empty() && overrides.server.empty()) {
      return Error::Config("no server found for cluster \"" + selection.cluster_name + "\"");
    }
  }
  if (user != config.users.end()) selection.user = user->second;
  return selection;
}

Selection SelectInCluster(const InClusterEnvironment& in_cluster) {
  Selection selection;
  const std::string& host = in_cluster.service_host;
  std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  selection.cluster.server = "https://" + bracketed + ":" + in_cluster.service_port;
  std::string ca = in_cluster.service_account_dir + "/ca.crt";
  if (IsRegularFile(ca)) selection.cluster.certificate_authority = ca;
  selection.user.token_file = in_cluster.service_account_dir + "/token";
  return selection;
}

void ApplyOverrides(Selection& selection, const ConfigOverrides& overrides) {
  ClusterEntry& cluster = selection.cluster;
  if (!overrides.server.empty()) cluster.server = overrides.server;
  if (!overrides.tls_server_name.empty()) cluster.tls_server_name = overrides.tls_server_name;
  if (!overrides.certificate_authority.empty()) {
    cluster.certificate_authority = overrides.certificate_authority;
    cluster.certificate_authority_data.clear();
  }
  if (overrides.insecure_skip_tls_verify) {
    cluster.insecure_skip_tls_verify = true;
    // client-go: --insecure-skip-tls-verify without a CA flag drops the kubeconfig's CA.
    if (overrides.certificate_authority.empty()) {
      cluster.certificate_authority.clear();
      cluster.certificate_authority_data.clear();
    }
  }
  AuthInfoEntry& user = selection.user;
  if (!overrides.token.empty()) {
    user.token.Assign(overrides.token);
    user.token_file.clear();
  }
  if (!overrides.client_certificate.empty()) {
    user.client_certificate = overrides.client_certificate;
    user.client_certificate_data.clear();
  }
  if (!overrides.client_key.empty()) {
    user.client_key = overrides.client_key;
    user.client_key_data.Clear();
  }
  if (!overrides.username.empty()) user.username = overrides.username;
  if (!overrides.password.empty()) user.password.Assign(overrides.password);
  if (!overrides.impersonate.empty()) user.impersonate = overrides.impersonate;
  if (!overrides.impersonate_uid.empty()) user.impersonate_uid = overrides.impersonate_uid;
  if (!overrides.impersonate_groups.empty()) user.impersonate_groups = overrides.impersonate_groups;
  if (!overrides.impersonate_extra.empty()) user.impersonate_extra = overrides.impersonate_extra;
}

// Returns the server URL with a scheme and without a trailing slash (client-go DefaultServerURL).
Result<std::string> NormalizeServer(std::string server, bool default_tls) {
  const std::string original = server;
  if (server.find("://") == std::string::npos)
    server = (default_tls ? "https://" : "http://") + server;
  size_t scheme_end = server.find("://");
  std::string scheme = server.substr(0, scheme_end);
  std::string rest = server.substr(scheme_end + 3);
  std::string host = rest.substr(0, rest.find('/'));
  if ((scheme != "https" && scheme != "http") || host.empty() ||
      host.find_first_of(" !\"#$%&'()*,;<>\\^`{|}") != std::string::npos) {
    return Error::Config("host must be a URL or a host:port pair: \"" + original + "\"");
  }
  while (server.size() > scheme_end + 3 && server.back() == '/') server.pop_back();
  return server;
}

Result<TlsConfig> BuildTls(const Selection& selection) {
  const ClusterEntry& cluster = selection.cluster;
  TlsConfig tls;
  tls.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  tls.server_name = cluster.tls_server_name;
  bool has_ca =
      !cluster.certificate_authority.empty() || !cluster.certificate_authority_data.empty();
  if (tls.insecure_skip_verify && has_ca) {
    return Error::Config(
        "specifying a root certificates file with the insecure flag is not allowed");
  }
  tls.ca_pem = cluster.certificate_authority_data;
  if (tls.ca_pem.empty() && !cluster.certificate_authority.empty()) {
    Result<std::string> ca = ReadFileContents(cluster.certificate_authority);
    if (!ca) {
      return Error::Config("unable to read certificate-authority " + cluster.certificate_authority +
                           " for " + selection.cluster_name + " due to " + ca.error().message());
    }
    tls.ca_pem = std::move(*ca);
  }
  return tls;
}

// client-go's kubeconfig validation: a proxy-url must be an http, https or socks5 URL.
Result<void> CheckProxyUrl(const Selection& selection) {
  const std::string& proxy = selection.cluster.proxy_url;
  if (proxy.empty()) return {};
  UrlParts parts;
  std::string problem;
  if (!SplitUrl(proxy, parts)) {
    problem = "could not parse: " + proxy;
  } else if (parts.scheme != "http" && parts.scheme != "https" && parts.scheme != "socks5") {
    problem = "unsupported scheme \"" + parts.scheme + "\", must be http, https, or socks5";
  } else {
    return {};
  }
  return Error::Config("invalid 'proxy-url' \"" + proxy + "\" for cluster \"" +
                       selection.cluster_name + "\": " + problem);
}

}  // namespace

bool InClusterEnvironment::Possible() const {
  return !service_host.empty() && !service_port.empty() &&
         IsRegularFile(service_account_dir + "/token");
}

InClusterEnvironment InClusterEnvironmentFromProcess() {
  InClusterEnvironment env;
  env.service_host = EnvOrEmpty("KUBERNETES_SERVICE_HOST");
  env.service_port = EnvOrEmpty("KUBERNETES_SERVICE_PORT");
  env.pod_namespace = EnvOrEmpty("POD_NAMESPACE");
  return env;
}

Result<RestConfig> BuildRestConfig(const Kubeconfig& config, const ConfigOverrides& overrides,
                                   const InClusterEnvironment& in_cluster) {
  bool use_in_cluster = config.Empty() && in_cluster.Possible();
  Result<Selection> selected = use_in_cluster ? Result<Selection>(SelectInCluster(in_cluster))
                                              : SelectFromKubeconfig(config, overrides);
  if (!selected) return std::move(selected).error();
  Selection& selection = *selected;
  ApplyOverrides(selection, overrides);
  MM_RETURN_IF_ERROR(CheckProxyUrl(selection));

  RestConfig rest;
  rest.context_name = use_in_cluster ? "" : selection.context_name;
  Result<TlsConfig> tls = BuildTls(selection);
  if (!tls) return std::move(tls).error();
  rest.tls = std::move(*tls);
  const AuthInfoEntry& user = selection.user;
  bool has_cert = !user.client_certificate.empty() || !user.client_certificate_data.empty();
  bool default_tls = !rest.tls.ca_pem.empty() || rest.tls.insecure_skip_verify || has_cert;
  std::string server =
      selection.cluster.server.empty() ? "http://localhost:8080" : selection.cluster.server;
  Result<std::string> normalized = NormalizeServer(server, default_tls);
  if (!normalized) return std::move(normalized).error();
  rest.server = std::move(*normalized);
  rest.proxy_url = selection.cluster.proxy_url;
  rest.disable_compression = selection.cluster.disable_compression;

  ExecClusterInfo exec_cluster{rest.server,
                               rest.tls.server_name,
                               rest.tls.ca_pem,
                               rest.tls.insecure_skip_verify,
                               rest.proxy_url,
                               rest.disable_compression,
                               selection.cluster.exec_extension_json};
  Result<Credentials> credentials = BuildCredentials(user, selection.user_name, exec_cluster);
  if (!credentials) return std::move(credentials).error();
  rest.credentials = std::move(*credentials);
  rest.impersonation = {user.impersonate, user.impersonate_uid, user.impersonate_groups,
                        user.impersonate_extra};

  std::optional<std::chrono::milliseconds> timeout = ParseRequestTimeout(overrides.request_timeout);
  if (!timeout) {
    return Error::Config(
        "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
        "followed by a corresponding time unit (e.g. 1s | 2m | 3h)");
  }
  rest.request_timeout = *timeout;

  rest.namespace_explicit = !overrides.namespace_name.empty();
  rest.namespace_name = overrides.namespace_name;
  if (rest.namespace_name.empty()) rest.namespace_name = selection.context_namespace;
  if (rest.namespace_name.empty() && in_cluster.Possible()) {
    rest.namespace_name = in_cluster.pod_namespace;
    if (rest.namespace_name.empty()) {
      Result<std::string> file = ReadFileContents(in_cluster.service_account_dir + "/namespace");
      if (file) rest.namespace_name = TrimSpace(*file);
    }
  }
  if (rest.namespace_name.empty()) rest.namespace_name = "default";
  return rest;
}

}  // namespace mm::kubeapi
