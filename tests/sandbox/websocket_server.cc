// WebSocket sessions on the TLS server's connections (Boost.Beast), for pods/exec and
// pods/portforward, and raw upgraded connections (SPDY/3.1 port-forward) run the same way. One
// reader coroutine delivers messages to the handler; the calling coroutine writes what the handler
// queued, so one read and one write are outstanding at most, as Beast requires. Pings are answered
// by Beast while a read is pending.
#include "tests/sandbox/websocket_server.h"

#include <algorithm>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cctype>
#include <deque>
#include <optional>

#include "tests/sandbox/chunk_pool.h"
#include "tests/sandbox/peer_closed.h"
#include "tests/sandbox/websocket.h"

namespace sandbox {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One queued message: bytes[begin, end) of a string the queue owns.
struct Queued {
  std::string bytes;
  size_t begin = 0, end = 0;
  std::string_view view() const { return std::string_view(bytes).substr(begin, end - begin); }
};

class QueueSink : public MessageSink {
 public:
  // `fd` is the connection's socket (to notice the client leaving while reading is paused).
  QueueSink(net::steady_timer& wake, int fd) : resume(wake.get_executor()), fd_(fd), wake_(wake) {}
  void Send(std::string message) override {
    size_t size = message.size();
    SendSlice(std::move(message), 0, size);
  }
  void SendSlice(std::string buffer, size_t begin, size_t end) override {
    if (ended) return;
    queued += end - begin;
    queue.push_back({std::move(buffer), begin, end});
    wake_.cancel();
  }
  void Close() override {
    if (ended) return;
    close_requested = true;
    wake_.cancel();
  }
  size_t queued_bytes() const override { return queued; }
  void SetReading(bool reading) override {
    read_paused = !reading;
    if (reading) resume.cancel();
  }

  // Suspends the reader while the handler paused reading; false once the session ended or the
  // client went away meanwhile (nothing reads its close while paused, so look every 200 ms).
  net::awaitable<bool> ReadAllowed() {
    while (read_paused && !ended) {
      resume.expires_after(200ms);
      co_await resume.async_wait(kTuple);
      if (PeerClosed(fd_)) co_return false;
    }
    co_return !ended;
  }

  std::deque<Queued> queue;
  size_t queued = 0;
  bool close_requested = false;
  bool ended = false;
  bool read_paused = false;
  net::steady_timer resume;  // wakes the paused reader

 private:
  int fd_;
  net::steady_timer& wake_;
};

// One queued message on the wire: a binary WebSocket message, or raw bytes after an upgrade to
// SPDY.
net::awaitable<beast::error_code> WriteMessage(websocket::stream<TlsStream&>& ws,
                                               std::string_view message) {
  auto [error, n] = co_await ws.async_write(net::buffer(message), kTuple);
  co_return error;
}
net::awaitable<beast::error_code> WriteMessage(TlsStream& stream, std::string_view message) {
  auto [error, n] = co_await net::async_write(stream, net::buffer(message),
                                              mm::kubeapi::TransferAllAtOnce{}, kTuple);
  co_return error;
}

// Writes what the handler queued, in order; false when the connection failed.
template <typename Out>
net::awaitable<bool> WriteQueued(Out& out, QueueSink& sink, WebSocketHandler& handler,
                                 const bool& handler_closed, const bool& reader_done) {
  while (!sink.queue.empty() && !reader_done) {
    Queued message = std::move(sink.queue.front());
    sink.queue.pop_front();
    beast::error_code error = co_await WriteMessage(out, message.view());
    sink.queued -= message.end - message.begin;
    ReturnChunk(std::move(message.bytes));
    if (error) co_return false;
    if (!handler_closed) handler.OnSent();
  }
  co_return true;
}

// Ciphertext an upgraded connection's writes may leave for the socket to take later: Beast and
// Asio's write loops hand the stream 64 KiB at a time, and waiting for each piece to reach the
// socket would make four system calls (and four wake-ups of the client) of every 256 KiB.
constexpr size_t kWriteBehind = 1 << 20;

// Tells the handler the session ended, sends what is still buffered, then ends the reader
// coroutine (which refers to the caller's frame) before the caller returns.
net::awaitable<void> EndSession(TlsStream& stream, QueueSink& sink, WebSocketHandler& handler,
                                bool& handler_closed, const bool& reader_done,
                                net::steady_timer& wake) {
  sink.ended = true;
  sink.resume.cancel();
  handler_closed = true;
  handler.OnClose();
  co_await FlushWithin(stream, 2000ms);
  if (!reader_done) {
    beast::error_code ignored;
    stream.next_layer().shutdown(net::socket_base::shutdown_both, ignored);
    stream.next_layer().close(ignored);
  }
  while (!reader_done) {
    wake.expires_after(50ms);
    co_await wake.async_wait(kTuple);
  }
}

}  // namespace

net::awaitable<void> FlushWithin(TlsStream& stream, std::chrono::milliseconds limit) {
  net::steady_timer guard(stream.get_executor(), limit);
  guard.async_wait([&stream](const beast::error_code& error) {
    beast::error_code ignored;
    if (!error) stream.next_layer().close(ignored);  // fails the flush below
  });
  co_await stream.async_flush(kTuple);
  guard.cancel();
}

void FillUpgrade(const HttpRequest& req, Request& request) {
  if (Lower(std::string(req[http::field::connection])).find("upgrade") == std::string::npos) {
    return;
  }
  request.upgrade = Lower(std::string(req[http::field::upgrade]));
  for (const auto& field : req) {
    if (Lower(field.name_string()) == "x-stream-protocol-version") {
      request.stream_protocols.emplace_back(field.value());
    }
  }
  // Every Sec-WebSocket-Protocol line, in order (clients may send several).
  for (const auto& field : req) {
    if (field.name() != http::field::sec_websocket_protocol) continue;
    std::string value(field.value());
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = std::min(value.find(',', start), value.size());
      std::string_view item = std::string_view(value).substr(start, comma - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) request.websocket_protocols.emplace_back(item);
      start = comma + 1;
    }
  }
}

net::awaitable<void> ServeWebSocket(TlsStream& stream, HttpRequest& req, const Response& response,
                                    const bool& stopping, net::steady_timer& wake) {
  websocket::stream<TlsStream&> ws(stream);
  ws.set_option(websocket::stream_base::timeout{30s, websocket::stream_base::none(), false});
  ws.set_option(websocket::stream_base::decorator(
      [protocol = response.subprotocol](websocket::response_type& res) {
        if (!protocol.empty()) res.set(http::field::sec_websocket_protocol, protocol);
      }));
  ws.read_message_max(64u << 20);
  stream.set_write_behind(kWriteBehind);
  ws.auto_fragment(false);
  auto [accept_error] = co_await ws.async_accept(req, kTuple);
  if (accept_error) co_return;
  ws.binary(true);

  std::shared_ptr<WebSocketHandler> handler = response.websocket;
  QueueSink sink(wake, stream.next_layer().native_handle());
  bool reader_done = false;
  bool handler_closed = false;
  auto reader = [&]() -> net::awaitable<void> {
    beast::flat_buffer buffer;
    while (co_await sink.ReadAllowed()) {
      auto [error, n] = co_await ws.async_read(buffer, kTuple);
      if (error) break;
      if (!handler_closed) {
        auto data = buffer.cdata();
        handler->OnMessage(std::string_view(static_cast<const char*>(data.data()), data.size()),
                           ws.got_binary());
      }
      buffer.consume(buffer.size());
    }
    reader_done = true;
    wake.cancel();
  };
  net::co_spawn(ws.get_executor(), reader(), net::detached);
  handler->Start(&sink);

  // After a close frame went either way, Beast's read still waits for the TLS teardown, which a
  // client that keeps its socket open never completes: allow 2 s, then drop the connection.
  std::optional<std::chrono::steady_clock::time_point> closing;
  auto start_closing = [&] {
    if (!closing) closing = std::chrono::steady_clock::now() + 2s;
    wake.cancel();
  };
  ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::close) start_closing();
  });
  bool close_sent = false;
  while (!reader_done && !(closing && std::chrono::steady_clock::now() >= *closing)) {
    if (!co_await WriteQueued(ws, sink, *handler, handler_closed, reader_done)) break;
    if ((sink.close_requested || stopping) && !close_sent && !closing) {
      close_sent = true;
      auto code = stopping ? websocket::close_code::going_away : websocket::close_code::normal;
      auto [close_error] = co_await ws.async_close(code, kTuple);
      if (close_error) break;
      start_closing();
      continue;
    }
    wake.expires_after(closing ? 100ms : 1s);
    co_await wake.async_wait(kTuple);
  }
  ws.control_callback();
  co_await EndSession(stream, sink, *handler, handler_closed, reader_done, wake);
}

net::awaitable<void> ServeRawUpgrade(TlsStream& stream, beast::flat_buffer& buffer,
                                     const Response& response, const bool& stopping,
                                     net::steady_timer& wake) {
  std::string head = "HTTP/1.1 101 Switching Protocols\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  head += "\r\n";
  if (co_await WriteMessage(stream, head)) co_return;
  stream.set_write_behind(kWriteBehind);

  std::shared_ptr<WebSocketHandler> handler = response.websocket;
  QueueSink sink(wake, stream.next_layer().native_handle());
  bool reader_done = false;
  bool handler_closed = false;
  handler->Start(&sink);
  if (buffer.size() > 0) {  // bytes the client sent right behind its request
    auto data = buffer.cdata();
    handler->OnMessage(std::string_view(static_cast<const char*>(data.data()), data.size()), true);
    buffer.consume(buffer.size());
  }
  auto reader = [&]() -> net::awaitable<void> {
    std::string chunk(256 * 1024, '\0');
    while (co_await sink.ReadAllowed()) {
      auto [error, n] = co_await stream.async_read_some(net::buffer(chunk), kTuple);
      if (error) break;
      if (!handler_closed) handler->OnMessage(std::string_view(chunk.data(), n), true);
    }
    reader_done = true;
    wake.cancel();
  };
  net::co_spawn(stream.get_executor(), reader(), net::detached);
  while (!reader_done && !stopping) {
    if (!co_await WriteQueued(stream, sink, *handler, handler_closed, reader_done)) break;
    if (sink.close_requested) break;  // everything it queued before closing is written
    wake.expires_after(1s);
    co_await wake.async_wait(kTuple);
  }
  co_await EndSession(stream, sink, *handler, handler_closed, reader_done, wake);
}

}  // namespace sandbox
