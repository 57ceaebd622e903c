#include "kubeapi/exec_credential.h"

#include <rapidjson/document.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

#include "core/json.h"
#include "kubeapi/base64.h"
#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

constexpr char kInstallHelp[] =
    "\n\nIt looks like you are trying to use a client-go credential plugin that is not installed."
    "\n\nTo learn more about this feature, consult the documentation available at:\n"
    "      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
    "#client-go-credential-plugins";

Error CredentialError(const std::string& message) {
  return Error::Transport("getting credentials: " + message);
}

// Returns `base` with `overrides` applied: later entries replace earlier ones of the same name,
// because execve's getenv would otherwise see the first.
std::vector<std::string> MergeEnvironment(std::vector<std::string> base,
                                          const std::vector<std::string>& overrides) {
  for (const std::string& entry : overrides) {
    std::string prefix = entry.substr(0, entry.find('=') + 1);
    std::erase_if(base, [&](const std::string& old) { return old.rfind(prefix, 0) == 0; });
    base.push_back(entry);
  }
  return base;
}

}  // namespace

std::string BuildExecInfo(const ExecConfig& exec, const ExecClusterInfo& cluster,
                          bool interactive) {
  rapidjson::Document info(rapidjson::kObjectType);
  auto& a = info.GetAllocator();
  auto str = [&](const std::string& s) { return rapidjson::Value(s.c_str(), a); };
  info.AddMember("kind", "ExecCredential", a);
  info.AddMember("apiVersion", str(exec.api_version), a);
  rapidjson::Value spec(rapidjson::kObjectType);
  if (exec.provide_cluster_info) {
    rapidjson::Value c(rapidjson::kObjectType);
    c.AddMember("server", str(cluster.server), a);
    if (!cluster.tls_server_name.empty())
      c.AddMember("tls-server-name", str(cluster.tls_server_name), a);
    if (cluster.insecure_skip_tls_verify) c.AddMember("insecure-skip-tls-verify", true, a);
    if (!cluster.ca_pem.empty()) {
      c.AddMember("certificate-authority-data", str(Base64Encode(cluster.ca_pem)), a);
    }
    if (!cluster.proxy_url.empty()) c.AddMember("proxy-url", str(cluster.proxy_url), a);
    if (cluster.disable_compression) c.AddMember("disable-compression", true, a);
    if (!cluster.config_json.empty()) {
      Result<rapidjson::Document> config = ParseJson(cluster.config_json);
      if (config) c.AddMember("config", rapidjson::Value(*config, a), a);
    }
    spec.AddMember("cluster", c, a);
  }
  spec.AddMember("interactive", interactive, a);
  info.AddMember("spec", spec, a);
  return ToJson(info);
}

std::optional<Clock::TimePoint> ParseRfc3339(std::string_view text) {
  std::string s(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') rest.remove_prefix(1);
  }
  long offset_seconds = 0;
  if (rest == "Z" || rest == "z") {
    offset_seconds = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = std::stoi(std::string(rest.substr(1, 2)));
    int om = std::stoi(std::string(rest.substr(4, 2)));
    offset_seconds = (rest[0] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  time_t seconds = timegm(&tm);
  return std::chrono::system_clock::from_time_t(seconds - offset_seconds);
}

Result<ExecCredential> ParseExecCredential(std::string_view stdout_text,
                                           const std::string& api_version) {
  Result<rapidjson::Document> document = ParseJson(stdout_text, "stdout");
  if (!document) return CredentialError("decoding stdout: " + document.error().message());
  std::string returned = GetString(*document, "apiVersion");
  if (returned != api_version) {
    return CredentialError("exec plugin is configured to use API version " + api_version +
                           ", plugin returned version " + returned);
  }
  const rapidjson::Value* status = FindMember(*document, "status");
  if (status == nullptr || !status->IsObject()) {
    return CredentialError("exec plugin didn't return a status field");
  }
  ExecCredential credential;
  credential.token = SecretString(GetString(*status, "token"));
  std::string cert = GetString(*status, "clientCertificateData");
  std::string key = GetString(*status, "clientKeyData");
  if (cert.empty() != key.empty()) {
    return CredentialError("exec plugin returned only certificate or key, not both");
  }
  if (credential.token.empty() && cert.empty()) {
    return CredentialError("exec plugin didn't return a token or cert/key pair");
  }
  if (!cert.empty()) {
    auto identity = std::make_shared<ClientIdentity>();
    identity->certificate_pem = std::move(cert);
    identity->key_pem = SecretString(std::move(key));
    credential.identity = std::move(identity);
  }
  ZeroString(key);
  std::string expiry = GetString(*status, "expirationTimestamp");
  if (!expiry.empty()) {
    credential.expiry = ParseRfc3339(expiry);
    if (!credential.expiry) {
      return CredentialError("exec plugin returned an invalid expirationTimestamp \"" + expiry +
                             "\"");
    }
  }
  return credential;
}

ExecCredentialProvider::ExecCredentialProvider(ExecConfig exec, ExecClusterInfo cluster,
                                               bool stdin_is_terminal, Clock& clock, Runner runner)
    : exec_(std::move(exec)),
      cluster_(std::move(cluster)),
      stdin_is_terminal_(stdin_is_terminal),
      clock_(clock),
      runner_(runner ? std::move(runner) : Runner(RunProcess)) {}

Result<ExecCredential> ExecCredentialProvider::Get() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_ && (!cached_->expiry || clock_.Now() < *cached_->expiry)) return *cached_;
  cached_.reset();
  Result<ExecCredential> fresh = Run();
  if (fresh) cached_ = *fresh;
  return fresh;
}

void ExecCredentialProvider::InvalidateAfterUnauthorized(const SecretString& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_ && cached_->token == token) cached_.reset();
}

Result<ExecCredential> ExecCredentialProvider::Run() {
  const std::string& mode = exec_.interactive_mode;
  if (mode == "Always" && !stdin_is_terminal_) {
    return CredentialError(
        "exec plugin cannot support interactive mode: standard input is not a terminal");
  }
  bool interactive = stdin_is_terminal_ && mode != "Never";
  std::vector<std::string> overrides;
  for (const ExecEnvVar& var : exec_.env) overrides.push_back(var.name + "=" + var.value);
  overrides.push_back("KUBERNETES_EXEC_INFO=" + BuildExecInfo(exec_, cluster_, interactive));
  std::vector<std::string> argv = {exec_.command};
  argv.insert(argv.end(), exec_.args.begin(), exec_.args.end());
  ProcessResult result =
      runner_(argv, MergeEnvironment(CurrentEnvironment(), overrides), interactive);
  if (result.spawn_errno == ENOENT && exec_.command.find('/') == std::string::npos) {
    std::string message = "exec: executable " + exec_.command + " not found" + kInstallHelp;
    if (!exec_.install_hint.empty()) message += "\n\n" + exec_.install_hint;
    return CredentialError(message);
  }
  if (result.spawn_errno != 0) {
    return CredentialError("exec: fork/exec " + exec_.command + ": " +
                           GoErrnoText(result.spawn_errno));
  }
  if (result.exit_code != 0) {
    ZeroString(result.stdout_text);
    return CredentialError("exec: executable " + exec_.command + " failed with exit code " +
                           std::to_string(result.exit_code));
  }
  Result<ExecCredential> credential = ParseExecCredential(result.stdout_text, exec_.api_version);
  ZeroString(result.stdout_text);
  return credential;
}

}  // namespace mm::kubeapi
