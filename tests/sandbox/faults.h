#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"

namespace sandbox {

// Fault injection for reliability tests. Rules come from `--fault RULE` flags or the admin
// endpoint /sandbox/faults; the API server asks Decide() once per resource request (after
// authentication and authorization, before serving it) and the TLS server carries out what
// needs the connection (delays, resets). Deterministic: given the same seed and the same sequence
// of requests, the same faults fire. Single-threaded like the rest of the sandbox.

enum class FaultKind {
  kReset,               // "reset": close the connection (TCP RST) halfway through the body
  kDropWatch,           // "drop-watch": reset a watch's connection after `after` events
  kTooManyRequests,     // "429": TooManyRequests with Retry-After (default 1 s)
  kInternalError,       // "500": InternalError (Retry-After only when given)
  kServiceUnavailable,  // "503": ServiceUnavailable (Retry-After only when given)
  kConflict,            // "conflict": 409 Conflict on a write, which is not applied
  kExpired,             // "expired": a watch gets an ERROR 410 Expired event after `after` events
  kLatency,             // "latency": wait `ms` before answering
  kSlowTls,             // "slow-tls": wait `ms` before the TLS handshake of a new connection
  kTruncate,            // "truncate": answer the first half of the body (Content-Length agrees)
};

enum class FaultTrigger {
  kNext,         // the next `count` matching requests
  kEvery,        // every `count`-th matching request
  kProbability,  // each matching request with `probability`, from the seeded generator
};

struct FaultRule {
  FaultKind kind = FaultKind::kInternalError;
  // What it matches; "*" (verb, resource) or "" (namespace, name) match anything. `resource` is
  // the plural, with "/subresource" for subresources (pods/log).
  std::string verb = "*";
  std::string resource = "*";
  std::string ns;
  std::string name;
  FaultTrigger trigger = FaultTrigger::kNext;
  uint64_t count = 1;
  double probability = 0;
  int retry_after_seconds = -1;        // -1: the kind's default
  uint64_t after = 0;                  // drop-watch, expired: events sent first
  std::chrono::milliseconds delay{0};  // latency, slow-tls ("ms")
  // Counters (reported by GET /sandbox/faults).
  uint64_t matched = 0;
  uint64_t fired = 0;
};

// The request a fault is decided for, as the API server classified it.
struct FaultTarget {
  std::string verb;      // get, list, watch, create, update, patch, delete, deletecollection
  std::string resource;  // plural[/subresource]
  std::string group;
  std::string ns;
  std::string name;
  std::string method;  // for the log line
  std::string path;
};

// What to do with one request.
struct FaultAction {
  FaultKind kind = FaultKind::kInternalError;
  std::optional<mm::ApiStatus> answer;  // reply with this instead of serving the request
  std::chrono::milliseconds delay{0};
  uint64_t after = 0;
};

// Parses the flag form `KIND[,key=value...]`, e.g. `503,verb=get,resource=configmaps,next=2` or
// `drop-watch,resource=pods,after=3,probability=0.5`. Keys: verb, resource, namespace, name,
// next, every, probability (one trigger; default next=1), retryAfter, after, ms. Fails with
// kUsage naming the bad part.
mm::Result<FaultRule> ParseFaultRule(std::string_view text);
// The name of `kind` as rules spell it ("503", "drop-watch").
std::string_view FaultKindName(FaultKind kind);

class FaultInjector {
 public:
  // Where fired faults are reported, one line each; the default writes to stderr.
  using Logger = std::function<void(const std::string& line)>;
  explicit FaultInjector(uint64_t seed = 0, Logger log = nullptr);

  // Restarts the generator used by probability rules.
  void Seed(uint64_t seed);
  void Add(FaultRule rule);
  void Clear();
  const std::vector<FaultRule>& rules() const { return rules_; }

  // Decides the fault for one request: every matching rule counts it, the first that fires is
  // returned (and logged). nullopt: serve normally.
  std::optional<FaultAction> Decide(const FaultTarget& target);
  // The delay before the TLS handshake of a new connection (slow-tls rules), usually zero.
  std::chrono::milliseconds HandshakeDelay();

  // The admin endpoint: GET lists rules and counters, POST adds rules
  // ({"seed":N,"rules":[{"kind":"503","verb":"get",...}]}), DELETE clears them. Returns the HTTP
  // code and JSON body.
  std::pair<int, std::string> Admin(std::string_view method, std::string_view body);

 private:
  bool Fires(FaultRule& rule);
  double NextUnit();
  void Log(const FaultRule& rule, size_t index, const std::string& where) const;
  std::string ListJson() const;

  std::vector<FaultRule> rules_;
  uint64_t state_ = 0;  // splitmix64: the same numbers on every platform
  Logger log_;
};

}  // namespace sandbox
