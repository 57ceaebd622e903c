#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/http.h"
#include "kubeapi/network_options.h"
#include "kubeapi/steady_time.h"

namespace mm::kubeapi {

// One open WebSocket to the API server, as returned in HttpResponse::websocket after a 101 answer
// to an upgrade request. Messages are binary frames whose first byte is the Kubernetes channel
// (kube-api-wire.md §6.2). Pings from the server are answered, and the connection pings the
// server when idle. Not thread-safe: one thread uses it at a time. The destructor closes the
// socket (without a close handshake when Close was not called).
class WebSocketConnection {
 public:
  struct Impl;  // Boost.Beast types live only in websocket.cc
  explicit WebSocketConnection(std::unique_ptr<Impl> impl);
  ~WebSocketConnection();
  WebSocketConnection(const WebSocketConnection&) = delete;
  WebSocketConnection& operator=(const WebSocketConnection&) = delete;

  // The subprotocol the server chose ("" when it chose none).
  const std::string& protocol() const;

  // Reads the next message (channel byte and payload) into `message`. Returns true for a
  // message, false when the server closed the connection with a close frame; fails with
  // kInterrupted on `cancel`, kTimeout at `deadline`, kTransport when the connection broke.
  Result<bool> Read(std::string& message, const CancellationToken* cancel,
                    SteadyTime deadline = SteadyTime::max());

  // Sends `message` (channel byte and payload) as one binary frame. Fails like Read.
  Result<void> Write(std::string_view message, const CancellationToken* cancel);

  // Called with messages on channels other than the pumped one; an error ends the pump with it.
  using ChannelHandler = std::function<Result<void>(unsigned char channel, std::string_view)>;

  // Copies bytes both ways between the connected stream socket `fd` (owned by the caller, left
  // open) and `channel`: bytes read from fd are sent as [channel]+bytes, payloads of messages on
  // `channel` are written to fd. The pump ends when the server closes the WebSocket (then fd is
  // shut down for writing), at end of file or an error on fd (the channel protocols have no
  // half-close, so the WebSocket is then closed), on `cancel` (kInterrupted) or on an error from
  // `on_other`. Sends a close frame when the pump ends on our side.
  Result<void> Pump(int fd, unsigned char channel, const ChannelHandler& on_other,
                    const CancellationToken* cancel);

  // Sends a normal close frame and waits briefly for the server's; errors are ignored.
  void Close();

 private:
  std::unique_ptr<Impl> impl_;
};

// The bottom Transport of a Client built for the network: WebSocket upgrade requests (those with
// websocket_protocols) are dialled with Boost.Beast over OpenSSL using the same TLS settings
// (CA from memory, insecure-skip-verify, tls-server-name as SNI and verified name), client
// certificate (from memory) and HTTP proxy as REST; every other request goes to `http`.
// A non-101 answer is returned as an ordinary response with its body. Thread-safe.
class WebSocketTransport : public Transport {
 public:
  WebSocketTransport(std::unique_ptr<Transport> http, NetworkOptions options)
      : http_(std::move(http)), options_(std::move(options)) {}
  HttpResponse RoundTrip(const HttpRequest& request) override;

 private:
  std::unique_ptr<Transport> http_;
  NetworkOptions options_;
};

}  // namespace mm::kubeapi
