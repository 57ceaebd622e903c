#include "kubeapi/client.h"

#include "kubeapi/auth_transport.h"
#include "kubeapi/exec_credential.h"
#include "kubeapi/logging_transport.h"
#include "kubeapi/native_transport.h"
#include "kubeapi/websocket.h"

namespace mm::kubeapi {
namespace {

std::ostream& NullStream() {
  static std::ostream stream(nullptr);
  return stream;
}

}  // namespace

Client::~Client() = default;

Transport& Client::transport() { return *retry_; }

Result<std::unique_ptr<Client>> Client::Create(const RestConfig& config, ClientOptions options,
                                               std::unique_ptr<Transport> network) {
  std::unique_ptr<Client> client(new Client());
  client->config_ = config;
  Clock& clock = options.clock != nullptr ? *options.clock : RealClock();
  const Credentials& credentials = client->config_.credentials;
  if (!network) {
    NetworkOptions net{.tls = config.tls,
                       .proxy_url = config.proxy_url,
                       .disable_compression = config.disable_compression,
                       .user_agent = options.user_agent};
    if (!credentials.client_certificate_pem.empty()) {
      auto identity = std::make_shared<ClientIdentity>();
      identity->certificate_pem = credentials.client_certificate_pem;
      identity->key_pem = credentials.client_key_pem;
      net.identity = std::move(identity);
    }
    // WebSocket upgrades (exec, port-forward) are dialled by WebSocketTransport with the same
    // settings; the rest go to NativeTransport.
    network = std::make_unique<WebSocketTransport>(std::make_unique<NativeTransport>(net), net);
  }
  client->network_ = std::move(network);
  bool tls = config.server.rfind("https://", 0) == 0;
  if (credentials.exec && tls) {
    client->exec_ = std::make_shared<ExecCredentialProvider>(
        *credentials.exec, credentials.exec_cluster, options.stdin_is_terminal, clock);
  }
  client->auth_ = std::make_unique<AuthTransport>(*client->network_, credentials,
                                                  config.impersonation, tls, client->exec_);
  client->logging_ = std::make_unique<LoggingTransport>(
      *client->auth_, options.verbosity, options.log != nullptr ? *options.log : NullStream(),
      clock);
  client->retry_ = std::make_unique<RetryTransport>(*client->logging_, clock, options.retry);
  client->rest_ = std::make_unique<RestClient>(*client->retry_, config.server,
                                               config.request_timeout, options.cancel);
  client->mapper_ = std::make_unique<RestMapper>(*client->rest_, options.discovery_cache_dir);
  return client;
}

}  // namespace mm::kubeapi
