#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/clock.h"
#include "kubeapi/http.h"
#include "kubeapi/process.h"
#include "kubeapi/rest_config.h"

namespace mm::kubeapi {

// What a credential plugin returned.
struct ExecCredential {
  SecretString token;
  std::shared_ptr<const ClientIdentity> identity;  // client certificate, may be null
  std::optional<Clock::TimePoint> expiry;          // none: valid until the process exits
};

// Returns the KUBERNETES_EXEC_INFO JSON for `exec` (spec.cluster only with provideClusterInfo).
std::string BuildExecInfo(const ExecConfig& exec, const ExecClusterInfo& cluster, bool interactive);

// Parses a plugin's stdout. Fails with kTransport and client-go's texts (prefixed by the caller):
// "decoding stdout: ...", "exec plugin is configured to use API version X, plugin returned
// version Y", "exec plugin didn't return a token or cert/key pair", ...
Result<ExecCredential> ParseExecCredential(std::string_view stdout_text,
                                           const std::string& api_version);

// Parses an RFC 3339 timestamp ("2099-01-01T00:00:00Z", offsets and fractions allowed).
std::optional<Clock::TimePoint> ParseRfc3339(std::string_view text);

// Runs a client-go credential plugin (fork/exec with argv, never a shell) and caches its answer
// until expirationTimestamp. Thread-safe: concurrent callers wait for one run.
class ExecCredentialProvider {
 public:
  using Runner = std::function<ProcessResult(const std::vector<std::string>& argv,
                                             const std::vector<std::string>& env, bool pass_stdin)>;
  // `stdin_is_terminal` decides interactivity together with interactiveMode. `runner` defaults
  // to RunProcess; `clock` must outlive the provider.
  ExecCredentialProvider(ExecConfig exec, ExecClusterInfo cluster, bool stdin_is_terminal,
                         Clock& clock, Runner runner = nullptr);

  // Returns the cached credential, running the plugin when there is none or it expired. Fails
  // with kTransport: "getting credentials: exec: executable X not found" plus the install hint,
  // "... failed with exit code N", or a malformed answer.
  Result<ExecCredential> Get();

  // Forgets the cached credential if it is still `token` (the server answered 401 to it), so the
  // next Get() runs the plugin again.
  void InvalidateAfterUnauthorized(const SecretString& token);

 private:
  Result<ExecCredential> Run();

  ExecConfig exec_;
  ExecClusterInfo cluster_;
  bool stdin_is_terminal_;
  Clock& clock_;
  Runner runner_;
  std::mutex mutex_;
  std::optional<ExecCredential> cached_;
};

}  // namespace mm::kubeapi
