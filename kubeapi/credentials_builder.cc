#include "kubeapi/credentials_builder.h"

#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

Result<void> ReadClientCertificate(const AuthInfoEntry& user, const std::string& user_name,
                                   Credentials& out) {
  out.client_certificate_pem = user.client_certificate_data;
  out.client_key_pem = user.client_key_data;
  if (out.client_certificate_pem.empty() && !user.client_certificate.empty()) {
    Result<std::string> cert = ReadFileContents(user.client_certificate);
    if (!cert) {
      return Error::Config("unable to read client-cert " + user.client_certificate + " for " +
                           user_name + " due to " + cert.error().message());
    }
    out.client_certificate_pem = std::move(*cert);
  }
  if (out.client_key_pem.empty() && !user.client_key.empty()) {
    Result<std::string> key = ReadFileContents(user.client_key);
    if (!key) {
      return Error::Config("unable to read client-key " + user.client_key + " for " + user_name +
                           " due to " + key.error().message());
    }
    out.client_key_pem = SecretString(std::move(*key));
  }
  if (!out.client_certificate_pem.empty() && out.client_key_pem.empty()) {
    return Error::Config("client-key-data or client-key must be specified for " + user_name +
                         " to use the clientCert authentication method.");
  }
  if (out.client_certificate_pem.empty() && !out.client_key_pem.empty()) {
    return Error::Config("client-cert-data or client-cert must be specified for " + user_name +
                         " to use the clientCert authentication method.");
  }
  return {};
}

Result<void> ValidateExec(const ExecConfig& exec, const AuthInfoEntry& user,
                          const std::string& user_name) {
  if (!user.auth_provider_name.empty()) {
    return Error::Config("authProvider cannot be provided in combination with an exec plugin for " +
                         user_name);
  }
  if (exec.command.empty()) {
    return Error::Config("command must be specified for " + user_name +
                         " to use exec authentication plugin");
  }
  if (exec.api_version.empty()) {
    return Error::Config("apiVersion must be specified for " + user_name +
                         " to use exec authentication plugin");
  }
  if (exec.api_version == "client.authentication.k8s.io/v1" && exec.interactive_mode.empty()) {
    return Error::Config("interactiveMode must be specified for " + user_name +
                         " to use exec authentication plugin");
  }
  const std::string& mode = exec.interactive_mode;
  if (!mode.empty() && mode != "Never" && mode != "IfAvailable" && mode != "Always") {
    return Error::Config("invalid interactiveMode for " + user_name + ": \"" + mode + "\"");
  }
  return {};
}

}  // namespace

Result<Credentials> BuildCredentials(const AuthInfoEntry& user, const std::string& user_name,
                                     const ExecClusterInfo& cluster_info) {
  Credentials out;
  out.user_name = user_name;
  MM_RETURN_IF_ERROR(ReadClientCertificate(user, user_name, out));

  bool has_token = !user.token.empty() || !user.token_file.empty();
  bool has_basic = !user.username.empty() || !user.password.empty();
  if (has_token && has_basic) {
    return Error::Config("more than one authentication method found for " + user_name +
                         "; found [token basicAuth], only one is allowed");
  }
  out.token = user.token;
  out.token_file = user.token_file;
  if (!out.token_file.empty()) {
    Result<std::string> token = ReadFileContents(out.token_file);
    if (!token) return std::move(token).error();
    ZeroString(*token);
  }
  out.username = user.username;
  out.password = user.password;

  if (user.exec) {
    MM_RETURN_IF_ERROR(ValidateExec(*user.exec, user, user_name));
    out.exec = *user.exec;
    if (out.exec->interactive_mode.empty()) out.exec->interactive_mode = "IfAvailable";
    out.exec_cluster = cluster_info;
  } else if (!user.auth_provider_name.empty()) {
    if (user.auth_provider_name != "oidc") {
      return Error::Config("no Auth Provider found for name \"" + user.auth_provider_name + "\"");
    }
    if (out.token.empty()) out.token = user.auth_provider_id_token;
  }
  return out;
}

}  // namespace mm::kubeapi
