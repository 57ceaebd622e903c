// WebSocketConnection::Pump: copies between a local socket and one channel of the WebSocket on the
// connection's io_context (one of the client's two Boost.Beast translation units).
//
// Throughput comes from never waiting on one side while the other could move: the download chain
// keeps reading messages while earlier ones are still being written to the local socket (up to
// kDownloadQueueLimit bytes queued, then reading pauses until the local peer drains them), and
// the upload chain reads the local socket in large chunks. Message buffers are recycled, so the
// steady state allocates nothing.
#include <sys/socket.h>

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <vector>

#include "kubeapi/websocket_impl.h"

namespace mm::kubeapi {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using error_code = beast::error_code;
using websocket_detail::LostConnection;

constexpr size_t kUploadChunk = 256 * 1024;
// Received bytes waiting for the local peer before the WebSocket is no longer read.
constexpr size_t kDownloadQueueLimit = 4 << 20;

class SocketPump {
 public:
  SocketPump(WebSocketConnection::Impl& impl, unsigned char channel,
             const WebSocketConnection::ChannelHandler& on_other)
      : impl_(impl), local_(impl.io), channel_(channel), on_other_(on_other), up_(kUploadChunk) {}

  Result<void> Run(int fd, const CancellationToken* cancel) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return Error::Internal("port-forward: not a socket");
    }
    error_code ec;
    local_.assign(asio::generic::stream_protocol(address.ss_family, 0), fd, ec);
    if (ec) return Error::Internal("port-forward: " + ec.message());
    ReadLocal();
    ReadRemote();
    const bool& done = idle_;
    impl_.RunUntil(done, cancel, SteadyTime::max(),
                   [this] { Finish(Error::Interrupted("interrupted"), true); });
    local_.release(ec);
    if (error_) return *error_;
    return {};
  }

 private:
  void Started() {
    ++pending_;
    idle_ = false;
  }
  void Ended() {
    --pending_;
    idle_ = pending_ == 0;
  }

  void ReadLocal() {
    Started();
    local_.async_read_some(asio::buffer(up_.data() + 1, up_.size() - 1), [this](error_code ec,
                                                                                size_t size) {
      Ended();
      if (finished_) return;
      // End of file or an error: the local peer is done (v4 has no half-close, so the WebSocket
      // is closed).
      if (ec) return Finish(std::nullopt, true);
      up_[0] = static_cast<char>(channel_);
      Started();
      impl_.stream->async_write(asio::buffer(up_.data(), size + 1), [this](error_code e, size_t) {
        Ended();
        if (finished_) return;
        if (e) return Finish(LostConnection(e), false);
        ReadLocal();
      });
    });
  }

  // Reads the next message into a recycled buffer; data for our channel joins the download
  // queue, other channels go to on_other_.
  void ReadRemote() {
    reading_ = true;
    Started();
    impl_.stream->async_read(incoming_, [this](error_code ec, size_t) {
      Ended();
      reading_ = false;
      if (ec == websocket::error::closed) {
        remote_closed_ = true;
        return WriteLocal();  // shuts the local socket down once the queue is written
      }
      if (finished_) return;
      if (ec) return Finish(LostConnection(ec), false);
      auto data = incoming_.data();
      const char* bytes = static_cast<const char*>(data.data());
      if (data.size() > 1 && static_cast<unsigned char>(bytes[0]) == channel_) {
        queued_ += data.size() - 1;
        queue_.push_back(std::move(incoming_));
        incoming_ = TakeSpare();
        WriteLocal();
      } else if (data.size() > 0 && static_cast<unsigned char>(bytes[0]) != channel_) {
        Result<void> handled = on_other_(static_cast<unsigned char>(bytes[0]),
                                         std::string_view(bytes + 1, data.size() - 1));
        if (!handled) return Finish(handled.error(), true);
      }
      incoming_.clear();
      if (queued_ < kDownloadQueueLimit) ReadRemote();
    });
  }

  // Writes the queued messages (all of them in one gathered write) to the local socket.
  void WriteLocal() {
    if (writing_ || finished_) return;
    if (queue_.empty()) {
      if (remote_closed_) {
        error_code ignored;
        local_.shutdown(asio::socket_base::shutdown_send, ignored);
        Finish(std::nullopt, false);
      }
      return;
    }
    gather_.clear();
    for (const beast::flat_buffer& message : queue_) gather_.push_back(message.data() + 1);
    writing_ = true;
    Started();
    asio::async_write(local_, gather_, TransferAllAtOnce{},
                      [this, count = queue_.size()](error_code e, size_t) {
                        Ended();
                        writing_ = false;
                        if (finished_) return;
                        if (e) return Finish(std::nullopt, true);
                        for (size_t i = 0; i < count; ++i) {
                          queued_ -= queue_.front().size() - 1;
                          Recycle(std::move(queue_.front()));
                          queue_.pop_front();
                        }
                        if (!reading_ && !remote_closed_ && queued_ < kDownloadQueueLimit)
                          ReadRemote();
                        WriteLocal();
                      });
  }

  beast::flat_buffer TakeSpare() {
    if (spare_.empty()) return {};
    beast::flat_buffer buffer = std::move(spare_.back());
    spare_.pop_back();
    return buffer;
  }
  void Recycle(beast::flat_buffer buffer) {
    buffer.clear();
    if (spare_.size() < 4) spare_.push_back(std::move(buffer));
  }

  // Ends both chains: cancels local operations and closes the WebSocket (a close handshake when
  // `close_handshake`, else the socket) unless the server already closed it.
  void Finish(std::optional<Error> error, bool close_handshake) {
    if (finished_) return;
    finished_ = true;
    error_ = std::move(error);
    error_code ignored;
    local_.cancel(ignored);
    if (remote_closed_) return;
    if (!close_handshake) return impl_.CloseSocket();
    Started();
    impl_.stream->async_close(websocket::close_code::normal, [this](error_code) { Ended(); });
  }

  WebSocketConnection::Impl& impl_;
  asio::generic::stream_protocol::socket local_;
  unsigned char channel_;
  const WebSocketConnection::ChannelHandler& on_other_;
  std::vector<char> up_;
  beast::flat_buffer incoming_;
  std::deque<beast::flat_buffer> queue_;  // messages on our channel, channel byte included
  std::vector<beast::flat_buffer> spare_;
  std::vector<asio::const_buffer> gather_;
  size_t queued_ = 0;  // payload bytes in queue_
  int pending_ = 0;
  bool idle_ = true;
  bool reading_ = false;
  bool writing_ = false;
  bool finished_ = false;
  bool remote_closed_ = false;
  std::optional<Error> error_;
};

}  // namespace

Result<void> WebSocketConnection::Pump(int fd, unsigned char channel,
                                       const ChannelHandler& on_other,
                                       const CancellationToken* cancel) {
  return SocketPump(*impl_, channel, on_other).Run(fd, cancel);
}

}  // namespace mm::kubeapi
