#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sandbox {

// Where a WebSocket handler writes. Implemented by the TLS server's connection (Beast stays in
// the server's translation units); tests implement it with a recording fake.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  // Queues one binary message. Ignored after the connection ended.
  virtual void Send(std::string message) = 0;
  // Queues buffer[begin, end) as one binary message, without copying it; a pooled chunk goes
  // back to the pool (chunk_pool.h) once written.
  virtual void SendSlice(std::string buffer, size_t begin, size_t end) {
    Send(buffer.substr(begin, end - begin));
  }
  // Sends a close frame (1000, normal) after the queued messages, then ends the connection.
  virtual void Close() = 0;
  // Bytes queued and not yet written to the socket (for flow control).
  virtual size_t queued_bytes() const = 0;
  // Flow control the other way: while false, the server reads no more messages from the client
  // (TCP then pushes back on it); OnMessage is not called until reading is turned back on.
  virtual void SetReading(bool reading) = 0;
};

// The server side of one upgraded WebSocket connection (pods/exec, pods/portforward). All calls
// come from the server's single thread. The server calls Start once right after the 101,
// OnMessage for every complete data message from the client (pings are answered by the server
// itself), OnSent after each queued message was written (so a handler can resume reading what it
// paused), and OnClose exactly once when the connection ends for any reason (client close,
// error, server shutdown, or after the handler's own Close). After OnClose the handler must not
// touch the sink.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void Start(MessageSink* sink) = 0;
  virtual void OnMessage(std::string_view message, bool binary) = 0;
  virtual void OnSent() {}
  virtual void OnClose() = 0;
};

}  // namespace sandbox
