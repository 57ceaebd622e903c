#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mm {

// What went wrong, at the granularity the CLI needs to pick an exit code and a message format.
enum class ErrorKind {
  kUsage,        // bad flags or arguments; the user fixes the command line
  kInvalid,      // well-formed input that fails validation (spec, manifest, kubeconfig content)
  kConfig,       // kubeconfig or environment problem (missing file, unknown context)
  kTransport,    // could not talk to the server (DNS, TLS, connection reset, timeout of a request)
  kApi,          // the server answered with a Status (carried in ApiStatus)
  kTimeout,      // a --timeout / deadline of a wait expired
  kInterrupted,  // the user pressed Ctrl-C (or SIGTERM arrived)
  kInternal,     // a bug: an invariant did not hold
};

// One entry of a Kubernetes Status' details.causes.
struct StatusCause {
  std::string reason;  // e.g. FieldValueInvalid
  std::string message;
  std::string field;  // e.g. spec.replicas
  bool operator==(const StatusCause&) const = default;
};

// The parts of a metav1.Status body the plugin uses.
struct ApiStatus {
  int code = 0;        // HTTP status code
  std::string reason;  // e.g. NotFound, AlreadyExists, Conflict
  std::string message;
  std::string group;  // details.group
  std::string kind;   // details.kind
  std::string name;   // details.name
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;  // details.retryAfterSeconds
  bool operator==(const ApiStatus&) const = default;
};

// The single error type crossing module boundaries. Cheap to copy; holds no secrets (callers must
// never put a token or secret value into a message).
class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  static Error Usage(std::string message) { return {ErrorKind::kUsage, std::move(message)}; }
  static Error Invalid(std::string message) { return {ErrorKind::kInvalid, std::move(message)}; }
  static Error Config(std::string message) { return {ErrorKind::kConfig, std::move(message)}; }
  static Error Transport(std::string message) {
    return {ErrorKind::kTransport, std::move(message)};
  }
  static Error Timeout(std::string message) { return {ErrorKind::kTimeout, std::move(message)}; }
  static Error Interrupted(std::string message) {
    return {ErrorKind::kInterrupted, std::move(message)};
  }
  static Error Internal(std::string message) { return {ErrorKind::kInternal, std::move(message)}; }
  // An error answered by the API server; the message is the Status message.
  static Error Api(ApiStatus status);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // The server's Status, present only for kind() == kApi.
  const std::optional<ApiStatus>& status() const { return status_; }

  // Returns a copy whose message is "<context>: <message>", keeping kind and status.
  Error Wrap(const std::string& context) const;

 private:
  ErrorKind kind_;
  std::string message_;
  std::optional<ApiStatus> status_;
};

// Helpers in the spirit of apimachinery's errors.IsNotFound & co. All return false for non-API
// errors.
bool IsNotFound(const Error& error);
bool IsAlreadyExists(const Error& error);
bool IsConflict(const Error& error);
bool IsGone(const Error& error);
bool IsForbidden(const Error& error);
bool IsUnauthorized(const Error& error);
bool IsTooManyRequests(const Error& error);
bool IsInvalid(const Error& error);

}  // namespace mm
