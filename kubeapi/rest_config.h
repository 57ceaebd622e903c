#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kubeapi/kubeconfig.h"
#include "kubeapi/secret.h"

namespace mm::kubeapi {

// Who to impersonate (Impersonate-* headers).
struct Impersonation {
  std::string user;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
  bool operator==(const Impersonation&) const = default;
};

// TLS settings of the connection to the API server.
struct TlsConfig {
  std::string ca_pem;  // empty: the system roots
  bool insecure_skip_verify = false;
  std::string server_name;  // SNI and the name checked in the certificate; empty: the URL's host
  bool operator==(const TlsConfig&) const = default;
};

// What an exec plugin is told about the cluster (spec.cluster in KUBERNETES_EXEC_INFO).
struct ExecClusterInfo {
  std::string server;
  std::string tls_server_name;
  std::string ca_pem;
  bool insecure_skip_tls_verify = false;
  std::string proxy_url;
  bool disable_compression = false;
  std::string config_json;  // the exec extension, compact JSON; empty when absent
  bool operator==(const ExecClusterInfo&) const = default;
};

// Credentials of the selected user, after overrides. At most one of token/token_file, basic auth
// and exec is used; a client certificate may accompany any of them.
struct Credentials {
  std::string client_certificate_pem;
  SecretString client_key_pem;
  SecretString token;
  std::string token_file;  // re-read when it changes; wins over `token`
  std::string username;    // basic auth when non-empty (password may be empty)
  SecretString password;
  std::optional<ExecConfig> exec;
  std::string user_name;  // the kubeconfig user, for exec messages
  ExecClusterInfo exec_cluster;
  bool operator==(const Credentials&) const = default;
};

// Everything needed to talk to one API server: the result of kubeconfig loading (client-go's
// rest.Config). Holds secrets; never print it.
struct RestConfig {
  std::string server;  // scheme://host[:port][/path], no trailing slash
  TlsConfig tls;
  std::string proxy_url;  // empty: HTTPS_PROXY/HTTP_PROXY minus NO_PROXY (proxy_selection.h)
  bool disable_compression = false;
  Credentials credentials;
  Impersonation impersonation;
  std::chrono::milliseconds request_timeout{0};  // 0: none
  std::string namespace_name;                    // the effective default namespace
  bool namespace_explicit = false;               // came from -n/--namespace
  std::string context_name;                      // "" when in-cluster or no kubeconfig
  bool operator==(const RestConfig&) const = default;
};

}  // namespace mm::kubeapi
