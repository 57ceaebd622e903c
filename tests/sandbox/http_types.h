#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox {

// An HTTP request as the API logic sees it; the TLS server fills it in. Nothing here depends on
// Beast, so the API logic is testable without a network.
struct Request {
  std::string method;
  std::string path;                                        // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string accept;
  std::string content_type;
  std::string authorization;
  std::string user_agent;
  std::string body;
  // The verified client certificate's subject (CN, O entries); empty when none or unverified.
  std::string cert_user;
  std::vector<std::string> cert_groups;
  // Sent by the simulated cluster inside the sandbox (never over the network): no injected faults.
  bool in_process = false;
  // A connection upgrade request: the Upgrade header's value, lower-cased ("websocket"), when
  // the Connection header asks for an upgrade; "" otherwise.
  std::string upgrade;
  // The subprotocols a WebSocket client offers (Sec-WebSocket-Protocol, comma lists split), in
  // the client's order of preference.
  std::vector<std::string> websocket_protocols;
  // The stream protocols a SPDY upgrade offers (every X-Stream-Protocol-Version line), in order.
  std::vector<std::string> stream_protocols;

  // The first value of query parameter `name`, or "".
  std::string Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

// Where a streaming response writes. Implemented by the TLS server's connection.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues one chunk (for watches: one event line).
  virtual void Write(std::string data) = 0;
  // Ends the response after the queued chunks.
  virtual void End() = 0;
  // Sends the queued chunks, then drops the connection without ending the response (a TCP reset;
  // the sandbox's drop-watch fault). Sinks that cannot reset end the response instead.
  virtual void Abort() { End(); }
};

// A long-lived chunked response (watch). The server calls Start once, Tick periodically and Stop
// exactly once when the response ends for any reason; after Stop the stream must not touch the
// sink.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual void Start(StreamSink* sink) = 0;
  virtual void Tick() = 0;
  virtual void Stop() = 0;
  // When the server must end the response (timeoutSeconds).
  virtual std::chrono::steady_clock::time_point deadline() const = 0;
};

class WebSocketHandler;  // websocket.h

struct Response {
  int code = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<Stream> stream;  // set: send chunked, body unused
  // Injected faults (faults.h) the TLS server carries out: wait before answering; reset the
  // connection after this many bytes of the body.
  std::chrono::milliseconds delay{0};
  std::optional<size_t> reset_after_bytes;
  // Set: answer 101 Switching Protocols to a WebSocket upgrade with `subprotocol` ("" = none)
  // and hand the connection to this handler; body unused.
  std::shared_ptr<WebSocketHandler> websocket;
  std::string subprotocol;
  // With `websocket`: upgrade the raw connection instead (SPDY/3.1: 101 with `headers`, then
  // the handler's messages are the connection's bytes in both directions).
  bool raw_upgrade = false;
  // For the request log and metrics.
  std::string user;
  std::string verb;
  std::string resource;
};

// Splits a raw query string (`a=1&b=x%20y`) into decoded pairs ('+' is a space).
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view raw);
std::string PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace sandbox
