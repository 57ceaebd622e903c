#pragma once
// Private to the TLS server's two translation units (https_server.cc, websocket_server.cc): the
// only places that include Boost.Beast.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "kubeapi/tls_stream.h"
#include "tests/sandbox/http_types.h"

namespace sandbox {

// TLS through the client's TlsEngine stream in server mode: socket reads and writes of up to
// 256 KiB (many records per system call) instead of Asio's one 17 KiB record per call, which is
// what bulk port-forward and large responses spend their time on.
using TlsStream = mm::kubeapi::TlsStream;
using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Sends what `stream` still holds (write-behind, TlsStream::set_write_behind), closing the socket
// if that takes longer than `limit` (a client that stopped reading).
boost::asio::awaitable<void> FlushWithin(TlsStream& stream, std::chrono::milliseconds limit);

// The WebSocket fields of `req` (Upgrade when the Connection header asks for it, the offered
// subprotocols) copied into `request`.
void FillUpgrade(const HttpRequest& req, Request& request);

// Completes the WebSocket upgrade `req` on `stream` with 101 and `response.subprotocol`, then
// runs `response.websocket` (websocket.h) until the connection ends: answers pings, accepts
// binary and text messages, writes the handler's messages in order and its close. Returns once
// the handler got OnClose. `stopping` turning true (with `wake` cancelled) closes the connection
// with 1001 going away. `wake` must not be used by anyone else meanwhile.
boost::asio::awaitable<void> ServeWebSocket(TlsStream& stream, HttpRequest& req,
                                            const Response& response, const bool& stopping,
                                            boost::asio::steady_timer& wake);

// Answers 101 Switching Protocols with `response.headers` (a SPDY/3.1 upgrade), then runs
// `response.websocket` on the raw connection: every read goes to OnMessage (bytes already in
// `buffer` first), every queued message is written as is. Returns once the handler got OnClose
// (the peer closed, the handler closed, or `stopping` turned true with `wake` cancelled).
boost::asio::awaitable<void> ServeRawUpgrade(TlsStream& stream, boost::beast::flat_buffer& buffer,
                                             const Response& response, const bool& stopping,
                                             boost::asio::steady_timer& wake);

}  // namespace sandbox
