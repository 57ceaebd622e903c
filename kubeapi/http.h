#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kubeapi/secret.h"

namespace mm::kubeapi {

class CancellationToken;
class WebSocketConnection;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// A TLS client certificate and key (PEM), e.g. from an exec credential plugin.
struct ClientIdentity {
  std::string certificate_pem;
  SecretString key_pem;
};

// One HTTP request to the API server.
struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: https://host:port/api/v1/...
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // whole request; 0: none (streams)
  // When set, the body of a 2xx response is delivered here as it arrives instead of being
  // collected; returning false stops the transfer. Error bodies are always collected.
  std::function<bool(std::string_view chunk)> on_body;
  const CancellationToken* cancel = nullptr;
  // A client certificate for this request only (overrides the transport's own); may be null.
  std::shared_ptr<const ClientIdentity> identity;
  // When non-empty, the request is a WebSocket upgrade (GET) offering these subprotocols in
  // order of preference; a 101 answer carries the open connection in HttpResponse::websocket.
  std::vector<std::string> websocket_protocols;

  // Returns the value of header `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
};

// Why no HTTP response arrived.
enum class NetworkFailure {
  kNone,            // a response arrived (any status)
  kConnect,         // could not connect; nothing was sent (safe to retry any idempotent verb)
  kConnectionLost,  // reset or closed mid-exchange (retry only reads)
  kTimeout,         // the request's timeout expired
  kCancelled,       // the CancellationToken fired
  kOther,           // TLS, DNS, protocol errors: not retried
};

struct HttpResponse {
  int status = 0;       // 0 when failure != kNone
  HttpHeaders headers;  // names lower-cased
  std::string body;
  NetworkFailure failure = NetworkFailure::kNone;
  std::string failure_message;  // kubectl's text, e.g. "The connection to the server ..."
  bool http2 = false;           // the exchange used HTTP/2
  int new_connections = 0;      // connections opened for this request (0: one was reused)
  // The open WebSocket after a 101 answer to an upgrade request (status 101); null otherwise.
  std::shared_ptr<WebSocketConnection> websocket;

  // Returns the value of header `name` (lower-case), or "" when absent.
  std::string Header(std::string_view name) const;
};

// Sends requests. Implementations: NativeTransport (the network) and decorators for auth, retries
// and logging; tests use a recording fake. RoundTrip never throws; network failures are reported
// in the response, HTTP errors are ordinary responses.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse RoundTrip(const HttpRequest& request) = 0;
};

// Returns true for methods that may be re-sent after a connection failure (RFC 9110 idempotent).
bool IsIdempotentMethod(std::string_view method);

}  // namespace mm::kubeapi
