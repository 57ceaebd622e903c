#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/kubeconfig.h"
#include "kubeapi/rest_config.h"

namespace mm::kubeapi {

// Command-line overrides (cli-runtime's ConfigFlags). Empty strings mean "not given".
struct ConfigOverrides {
  std::string context;
  std::string cluster;
  std::string user;
  std::string namespace_name;
  std::string server;
  std::string token;
  std::string username;  // --username: basic auth
  std::string password;  // --password
  std::string impersonate;
  std::string impersonate_uid;
  std::vector<std::string> impersonate_groups;
  std::map<std::string, std::vector<std::string>> impersonate_extra;  // --as-user-extra
  std::string certificate_authority;
  std::string client_certificate;
  std::string client_key;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string request_timeout;  // "" or "0": none
};

// What the in-cluster fallback looks at. Tests point service_account_dir at a temp dir.
struct InClusterEnvironment {
  std::string service_host;   // $KUBERNETES_SERVICE_HOST
  std::string service_port;   // $KUBERNETES_SERVICE_PORT
  std::string pod_namespace;  // $POD_NAMESPACE
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

  // True when client-go would use in-cluster config: host, port and the token file all present.
  bool Possible() const;
};

// Returns the InClusterEnvironment of this process.
InClusterEnvironment InClusterEnvironmentFromProcess();

// Selects context, cluster and user from `config`, applies `overrides`, reads CA and client
// certificate files, and returns the connection settings (client-go's ClientConfig()). When
// `config` is empty and in-cluster config is possible, the service account is used; when nothing
// is configured the server is http://localhost:8080, as kubectl. Fails with kConfig and kubectl's
// texts: `invalid configuration: context was not found for specified context: X`,
// `auth info "X" does not exist`, `no server found for cluster "X"`, `specifying a root
// certificates file with the insecure flag is not allowed`, unreadable files, more than one
// authentication method, an exec plugin without interactiveMode, a bad --request-timeout.
Result<RestConfig> BuildRestConfig(const Kubeconfig& config, const ConfigOverrides& overrides,
                                   const InClusterEnvironment& in_cluster);

}  // namespace mm::kubeapi
