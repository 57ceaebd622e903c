#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "kubeapi/secret.h"

namespace mm::kubeapi {

// The kubeconfig file format (clientcmd/api/v1), with the fields the plugin honours. Paths are
// already resolved against the directory of the file that named them, and *-data fields are
// base64-decoded, so a loaded entry no longer depends on which file it came from.

struct ExecEnvVar {
  std::string name;
  std::string value;
  bool operator==(const ExecEnvVar&) const = default;
};

// users[].user.exec: a client-go credential plugin.
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or /v1beta1
  std::string command;      // resolved against the kubeconfig's directory when it contains '/'
  std::vector<std::string> args;
  std::vector<ExecEnvVar> env;
  std::string interactive_mode;  // "", Never, IfAvailable, Always
  bool provide_cluster_info = false;
  std::string install_hint;
  bool operator==(const ExecConfig&) const = default;
};

struct ClusterEntry {
  std::string server;
  std::string certificate_authority;       // file path
  std::string certificate_authority_data;  // PEM bytes
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  bool disable_compression = false;
  // extensions[name == client.authentication.k8s.io/exec].extension as compact JSON; exec plugins
  // receive it as spec.cluster.config.
  std::string exec_extension_json;
  bool operator==(const ClusterEntry&) const = default;
};

struct AuthInfoEntry {
  std::string client_certificate;       // file path
  std::string client_certificate_data;  // PEM bytes
  std::string client_key;               // file path
  SecretString client_key_data;         // PEM bytes
  SecretString token;
  std::string token_file;
  std::string username;
  SecretString password;
  std::string impersonate;  // "as"
  std::string impersonate_uid;
  std::vector<std::string> impersonate_groups;
  std::map<std::string, std::vector<std::string>> impersonate_extra;
  std::optional<ExecConfig> exec;
  std::string auth_provider_name;  // legacy auth-provider (only oidc's id-token is honoured)
  SecretString auth_provider_id_token;
  bool operator==(const AuthInfoEntry&) const = default;
};

struct ContextEntry {
  std::string cluster;
  std::string user;
  std::string namespace_name;
  bool operator==(const ContextEntry&) const = default;
};

struct Kubeconfig {
  std::string current_context;
  std::map<std::string, ClusterEntry> clusters;
  std::map<std::string, AuthInfoEntry> users;
  std::map<std::string, ContextEntry> contexts;

  // True when nothing at all was configured (no file, or only empty files).
  bool Empty() const {
    return current_context.empty() && clusters.empty() && users.empty() && contexts.empty();
  }
};

// Parses kubeconfig `text` read from `path` (used to resolve relative paths and in messages).
// An empty text is an empty config. Fails with kConfig and client-go's wording:
// `error loading config file "<path>": <problem>`.
Result<Kubeconfig> ParseKubeconfig(std::string_view text, const std::string& path);

// Merges `next` into `merged` with client-go's rules for a KUBECONFIG list: the first file that
// defines a name keeps its whole entry, and the first non-empty current-context wins.
void MergeKubeconfig(Kubeconfig& merged, Kubeconfig next);

}  // namespace mm::kubeapi
