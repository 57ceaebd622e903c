#pragma once
// Private to the client's two Boost.Beast translation units (websocket.cc dials and reads or
// writes single messages; websocket_pump.cc copies between a local socket and a channel).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <optional>
#include <string>

#include "kubeapi/cancellation.h"
#include "kubeapi/io_wait.h"
#include "kubeapi/tls_stream.h"
#include "kubeapi/websocket.h"

namespace mm::kubeapi {

namespace websocket_detail {

// TLS through TlsStream (large socket reads and writes), not Beast's ssl_stream.
using WsStream = boost::beast::websocket::stream<TlsStream>;

using Stop = IoStop;

// What Read/Write/Pump return when the connection broke.
inline Error LostConnection(const boost::beast::error_code& ec) {
  return Error::Transport("lost connection to the server: " + ec.message());
}

}  // namespace websocket_detail

struct WebSocketConnection::Impl {
  using Stop = websocket_detail::Stop;
  using error_code = boost::beast::error_code;

  boost::asio::io_context io;
  boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
  std::optional<websocket_detail::WsStream> stream;  // built once `tls` is configured
  boost::beast::flat_buffer buffer;
  std::string protocol;

  void CloseSocket() {
    error_code ignored;
    boost::beast::get_lowest_layer(*stream).close(ignored);
  }

  // Runs handlers until `done` (RunIoUntil, io_wait.h).
  template <typename OnStop>
  Stop RunUntil(const bool& done, const CancellationToken* cancel, SteadyTime deadline,
                OnStop on_stop) {
    return RunIoUntil(io, done, cancel, deadline, on_stop);
  }

  // Starts one asynchronous operation and runs until it completes; a stop closes the socket.
  template <typename Start>
  error_code Await(Start start, const CancellationToken* cancel, SteadyTime deadline, Stop& stop) {
    return AwaitIo(io, start, cancel, deadline, stop, [this] { CloseSocket(); });
  }
};

}  // namespace mm::kubeapi
