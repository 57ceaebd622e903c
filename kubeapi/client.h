#pragma once

#include <memory>
#include <ostream>

#include "core/result.h"
#include "kubeapi/clock.h"
#include "kubeapi/http.h"
#include "kubeapi/rest_client.h"
#include "kubeapi/rest_config.h"
#include "kubeapi/rest_mapper.h"
#include "kubeapi/retry_transport.h"

namespace mm::kubeapi {

class AuthTransport;
class ExecCredentialProvider;
class LoggingTransport;
class RetryTransport;

struct ClientOptions {
  std::string user_agent;          // see UserAgent()
  int verbosity = 0;               // -v level; requests are logged from 6
  std::ostream* log = nullptr;     // where -v output goes (stderr in the CLI); null: nowhere
  bool stdin_is_terminal = false;  // lets interactive exec plugins read stdin
  Clock* clock = nullptr;          // null: the real clock
  RetryPolicy retry;
  // The server's directory in the on-disk discovery cache (DiscoveryCacheDir); "": memory only.
  std::string discovery_cache_dir;
  // Ends every request that carries no token of its own (borrowed, may be null): the CLI's
  // Ctrl-C, so a one-shot command stops at the request in flight.
  const CancellationToken* cancel = nullptr;
};

// A client for one API server: the transport chain retry -> logging -> auth -> network, and a
// RestClient on top. Owns everything it builds.
class Client {
 public:
  // Builds a client for `config`. `network` is the bottom transport; null means NativeTransport
  // (tests pass a recording fake). Fails with kConfig for an unusable configuration.
  static Result<std::unique_ptr<Client>> Create(const RestConfig& config, ClientOptions options,
                                                std::unique_ptr<Transport> network = nullptr);
  ~Client();

  RestClient& rest() { return *rest_; }
  // Maps apiVersion/kind to resources (built-ins statically, custom resources by discovery).
  RestMapper& mapper() { return *mapper_; }
  // The top of the transport chain, for callers that send raw requests (e.g. /version).
  Transport& transport();
  const RestConfig& config() const { return config_; }

 private:
  Client() = default;

  RestConfig config_;
  std::unique_ptr<Transport> network_;
  std::shared_ptr<ExecCredentialProvider> exec_;
  std::unique_ptr<AuthTransport> auth_;
  std::unique_ptr<LoggingTransport> logging_;
  std::unique_ptr<RetryTransport> retry_;
  std::unique_ptr<RestClient> rest_;
  std::unique_ptr<RestMapper> mapper_;
};

}  // namespace mm::kubeapi
