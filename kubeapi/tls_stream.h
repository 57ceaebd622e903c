#pragma once
// An Asio stream that speaks TLS over a TCP socket through TlsEngine (tls_engine.h), for the
// WebSocket client: socket reads of up to kTlsReadSize bytes and writes of everything encrypted so
// far, instead of one system call per 16 KiB record. Usable under beast::websocket::stream (it
// provides the teardown hooks Beast looks up). One read and one write may be outstanding at once,
// as Beast requires; everything runs on one io_context thread.

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/role.hpp>
#include <string>
#include <utility>

#include "kubeapi/tls_engine.h"

namespace mm::kubeapi {

inline constexpr size_t kTlsReadSize = 256 * 1024;
inline constexpr size_t kTlsWriteChunk = 256 * 1024;

class TlsStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  using next_layer_type = boost::asio::ip::tcp::socket;
  using error_code = boost::system::error_code;

  TlsStream(boost::asio::io_context& io, SSL_CTX* ctx)
      : socket_(io), engine_(ctx, true), flushed_signal_(io) {}
  // Over a connected socket, as a client or (client false: async_handshake accepts) a server.
  TlsStream(next_layer_type socket, SSL_CTX* ctx, bool client)
      : socket_(std::move(socket)), engine_(ctx, client), flushed_signal_(socket_.get_executor()) {}

  executor_type get_executor() { return socket_.get_executor(); }
  next_layer_type& next_layer() { return socket_; }
  SSL* native_handle() { return engine_.native_handle(); }

  template <typename Handler>
  auto async_handshake(Handler&& handler) {
    return boost::asio::async_compose<Handler, void(error_code)>(HandshakeOp{{this}}, handler,
                                                                 socket_);
  }

  template <typename MutableBuffers, typename Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    boost::asio::mutable_buffer first;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && first.size() == 0; ++it) {
      first = *it;
    }
    return boost::asio::async_compose<Handler, void(error_code, size_t)>(ReadOp{{this}, first},
                                                                         handler, socket_);
  }

  template <typename ConstBuffers, typename Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    // Gathered into one plaintext run (Beast writes a frame header and its payload as two
    // buffers; encrypting them separately would make a tiny record of the header).
    staging_.clear();
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && staging_.size() < kTlsWriteChunk;
         ++it) {
      boost::asio::const_buffer piece = *it;
      size_t take = std::min(piece.size(), kTlsWriteChunk - staging_.size());
      staging_.append(static_cast<const char*>(piece.data()), take);
    }
    return boost::asio::async_compose<Handler, void(error_code, size_t)>(WriteOp{{this}}, handler,
                                                                         socket_);
  }

  // Queues close_notify and sends what is pending; the peer's close_notify is not awaited.
  template <typename Handler>
  auto async_shutdown(Handler&& handler) {
    engine_.Shutdown();
    return boost::asio::async_compose<Handler, void(error_code)>(ShutdownOp{{this}}, handler,
                                                                 socket_);
  }

 private:
  error_code TlsError() const {
    return error_code(static_cast<int>(engine_.error()), boost::asio::error::get_ssl_category());
  }

  // Sends the engine's output (one socket write at a time, in order); wakes a waiting writer.
  void StartFlush() {
    if (flushing_ || !engine_.has_output() || write_error_) return;
    flushing_ = true;
    engine_.TakeOutput(sending_);
    boost::asio::async_write(socket_, boost::asio::buffer(sending_),
                             [this](const error_code& ec, size_t n) {
                               flushing_ = false;
                               flushed_ += n;
                               if (ec) write_error_ = ec;
                               flushed_signal_.cancel();
                               StartFlush();
                             });
  }

  // Suspends `self` until every byte the engine produced so far is on the socket (or writing
  // failed); `self` is then called again.
  template <typename Self>
  void AwaitFlushed(Self& self) {
    StartFlush();
    if (flushed_ >= engine_.produced() || write_error_) {
      return boost::asio::post(socket_.get_executor(), std::move(self));
    }
    flushed_signal_.expires_at(boost::asio::steady_timer::time_point::max());
    flushed_signal_.async_wait(std::move(self));
  }

  // Completion for the ops below: never from inside the initiating call (Asio's rule; Beast would
  // otherwise recurse once per buffered read), so a result ready at once is posted first.
  struct OpBase {
    TlsStream* s;
    bool started = false;
    bool finished = false;
    error_code result;
    size_t bytes = 0;

    // True when the op was re-entered after Finish posted it: complete it now.
    bool Posted() const { return finished; }
    template <typename Self>
    void Finish(Self& self, error_code ec, size_t n) {
      if (started) return Complete(self, ec, n);
      finished = true;
      result = ec;
      bytes = n;
      boost::asio::post(s->socket_.get_executor(), std::move(self));
    }
    template <typename Self>
    static void Complete(Self& self, error_code ec, size_t n) {
      if constexpr (requires { self.complete(ec, n); }) {
        self.complete(ec, n);
      } else {
        self.complete(ec);
      }
    }
    // Goes on after an engine outcome other than kOk: reads the socket (setting `reading`) when
    // the engine wants input, else finishes with end of file or the TLS error.
    template <typename Self>
    void NotYet(Self& self, TlsEngine::Outcome outcome, bool& reading) {
      if (outcome.status == TlsEngine::Status::kWantInput) {
        reading = true;
        return ReadSocket(self);
      }
      Finish(self,
             outcome.status == TlsEngine::Status::kClosed ? boost::asio::error::eof : s->TlsError(),
             0);
    }
    // Reads the socket into the engine, then `self` is called with the result.
    template <typename Self>
    void ReadSocket(Self& self) {
      started = true;
      std::span<char> space = s->engine_.InputSpace(kTlsReadSize);
      s->socket_.async_read_some(boost::asio::buffer(space.data(), space.size()), std::move(self));
    }
  };

  struct HandshakeOp : OpBase {
    bool reading = false;
    template <typename Self>
    void operator()(Self& self, error_code ec = {}, size_t n = 0) {
      if (this->Posted()) return this->Complete(self, this->result, 0);
      if (reading) {
        reading = false;
        if (ec) return this->Finish(self, ec, 0);
        this->s->engine_.CommitInput(n);
      }
      TlsStream* s = this->s;
      if (s->write_error_) return this->Finish(self, s->write_error_, 0);
      TlsEngine::Outcome outcome = s->engine_.Handshake();
      s->StartFlush();
      if (outcome.status != TlsEngine::Status::kOk) return this->NotYet(self, outcome, reading);
      if (s->flushed_ >= s->engine_.produced()) return this->Finish(self, {}, 0);
      this->started = true;
      s->AwaitFlushed(self);
    }
  };

  struct ReadOp : OpBase {
    boost::asio::mutable_buffer buffer;
    bool reading = false;
    template <typename Self>
    void operator()(Self& self, error_code ec = {}, size_t n = 0) {
      if (this->Posted()) return this->Complete(self, this->result, this->bytes);
      TlsStream* s = this->s;
      if (reading) {
        reading = false;
        if (ec) return this->Finish(self, ec, 0);
        s->engine_.CommitInput(n);
      }
      if (buffer.size() == 0) return this->Finish(self, {}, 0);
      TlsEngine::Outcome outcome =
          s->engine_.Read(static_cast<char*>(buffer.data()), buffer.size());
      s->StartFlush();  // e.g. a TLS 1.3 KeyUpdate answer
      if (outcome.status != TlsEngine::Status::kOk) return this->NotYet(self, outcome, reading);
      this->Finish(self, {}, outcome.bytes);
    }
  };

  struct WriteOp : OpBase {
    size_t written = 0, target = 0;
    bool encrypted = false;
    template <typename Self>
    void operator()(Self& self, error_code = {}, size_t = 0) {
      if (this->Posted()) return this->Complete(self, this->result, this->bytes);
      TlsStream* s = this->s;
      if (!encrypted) {
        encrypted = true;
        if (s->write_error_) return this->Finish(self, s->write_error_, 0);
        TlsEngine::Outcome outcome = s->engine_.Write(s->staging_.data(), s->staging_.size());
        if (outcome.status != TlsEngine::Status::kOk) return this->Finish(self, s->TlsError(), 0);
        written = outcome.bytes;
        target = s->engine_.produced();
      }
      if (s->write_error_) return this->Finish(self, s->write_error_, 0);
      if (s->flushed_ >= target) return this->Finish(self, {}, written);
      this->started = true;
      s->AwaitFlushed(self);
    }
  };

  struct ShutdownOp : OpBase {
    template <typename Self>
    void operator()(Self& self, error_code = {}, size_t = 0) {
      if (this->Posted()) return this->Complete(self, this->result, 0);
      TlsStream* s = this->s;
      if (s->write_error_) return this->Finish(self, s->write_error_, 0);
      if (s->flushed_ >= s->engine_.produced()) return this->Finish(self, {}, 0);
      this->started = true;
      s->AwaitFlushed(self);
    }
  };

  next_layer_type socket_;
  TlsEngine engine_;
  std::string staging_;  // plaintext of the write in progress
  std::string sending_;  // ciphertext on its way to the socket
  bool flushing_ = false;
  size_t flushed_ = 0;  // ciphertext bytes written to the socket
  error_code write_error_;
  boost::asio::steady_timer flushed_signal_;  // cancelled after every socket write
};

// Beast's WebSocket teardown for TlsStream (found by argument-dependent lookup): close_notify is
// sent best-effort, then the socket is shut down and closed.
inline void teardown(boost::beast::role_type, TlsStream& stream, boost::system::error_code& ec) {
  boost::system::error_code ignored;
  stream.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream.next_layer().close(ec);
}

template <typename Handler>
void async_teardown(boost::beast::role_type, TlsStream& stream, Handler&& handler) {
  stream.async_shutdown(
      [&stream, handler = std::forward<Handler>(handler)](boost::system::error_code) mutable {
        boost::system::error_code ec;
        boost::system::error_code ignored;
        stream.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        stream.next_layer().close(ec);
        std::move(handler)(ec);
      });
}

}  // namespace mm::kubeapi
