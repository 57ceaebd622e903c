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
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kubeapi/tls_engine.h"
#include "kubeapi/transfer_all_at_once.h"

namespace mm::kubeapi {

inline constexpr size_t kTlsReadSize = 256 * 1024;
// Plaintext one write_some takes at most (a piece larger than this is split).
inline constexpr size_t kTlsWriteChunk = 1024 * 1024;
// A TLS record's plaintext: smaller pieces are gathered up to this before encrypting.
inline constexpr size_t kTlsRecordSize = 16 * 1024;

class TlsStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  using next_layer_type = boost::asio::ip::tcp::socket;
  using error_code = boost::system::error_code;

  // `read_size`: ciphertext read from the socket at once (its buffer is zero-filled when first
  // used, so REST connections, which move little, use less than streams).
  TlsStream(boost::asio::io_context& io, SSL_CTX* ctx, size_t read_size = kTlsReadSize)
      : socket_(io), engine_(ctx, true), read_size_(read_size), flushed_signal_(io) {}
  // Over a connected socket, as a client or (client false: async_handshake accepts) a server.
  TlsStream(next_layer_type socket, SSL_CTX* ctx, bool client)
      : socket_(std::move(socket)),
        engine_(ctx, client),
        read_size_(kTlsReadSize),
        flushed_signal_(socket_.get_executor()) {}

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
    pieces_.clear();
    size_t total = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && total < kTlsWriteChunk; ++it) {
      boost::asio::const_buffer piece = *it;
      if (piece.size() == 0) continue;
      size_t take = std::min(piece.size(), kTlsWriteChunk - total);
      pieces_.emplace_back(piece.data(), take);
      total += take;
    }
    return boost::asio::async_compose<Handler, void(error_code, size_t)>(WriteOp{{this}}, handler,
                                                                         socket_);
  }

  // Queues close_notify and sends what is pending; the peer's close_notify is not awaited.
  template <typename Handler>
  auto async_shutdown(Handler&& handler) {
    engine_.Shutdown();
    return async_flush(std::forward<Handler>(handler));
  }

  // Completes once everything written so far is on the socket (or writing failed).
  template <typename Handler>
  auto async_flush(Handler&& handler) {
    return boost::asio::async_compose<Handler, void(error_code)>(FlushOp{{this}}, handler, socket_);
  }

  // Tunnels this stream's TLS through `outer`, a TLS session already established with a proxy
  // (an https:// proxy's CONNECT tunnel): the ciphertext of this stream is sealed into `outer`'s
  // records on the way out and opened from them on the way in. `pending` is plaintext `outer`
  // already opened (what followed the proxy's CONNECT answer): this stream's first input. Call
  // before the handshake.
  void TunnelThrough(std::unique_ptr<TlsEngine> outer, std::string_view pending) {
    outer_ = std::move(outer);
    std::span<char> space = engine_.InputSpace(pending.size());
    std::copy(pending.begin(), pending.end(), space.data());
    engine_.CommitInput(pending.size());
  }

  // Write-behind: a write completes once encrypted while at most `bytes` of ciphertext wait for
  // the socket, instead of once all of it is on the socket (0, the default). Successive writes
  // then reach the socket together, however small the pieces Asio's write loops hand over
  // (64 KiB). Whoever closes or resets the socket must async_flush first, and a socket error
  // shows on the next write or flush.
  void set_write_behind(size_t bytes) { write_behind_ = bytes; }

 private:
  error_code TlsError() const {
    return error_code(static_cast<int>(engine_.error()), boost::asio::error::get_ssl_category());
  }

  // Encrypts pieces_ into the engine's output: pieces shorter than a record are gathered with
  // what follows them (Beast writes a frame header and its payload as two buffers; encrypted
  // separately the header would be a tiny record of its own), longer runs are encrypted where
  // they are, without a copy. Returns the plaintext bytes taken, or a TLS failure.
  TlsEngine::Outcome EncryptPieces() {
    size_t taken = 0;
    staging_.clear();
    auto seal = [this](const char* data, size_t size) {
      return engine_.Write(data, size).status == TlsEngine::Status::kOk;
    };
    for (boost::asio::const_buffer piece : pieces_) {
      const char* data = static_cast<const char*>(piece.data());
      size_t size = piece.size();
      while (size > 0) {
        if (staging_.empty() && size >= kTlsRecordSize) {
          if (!seal(data, size)) return {TlsEngine::Status::kFailed, 0};
          taken += size;
          break;
        }
        size_t take = std::min(size, kTlsRecordSize - staging_.size());
        staging_.append(data, take);
        data += take;
        size -= take;
        taken += take;
        if (staging_.size() == kTlsRecordSize) {
          if (!seal(staging_.data(), staging_.size())) return {TlsEngine::Status::kFailed, 0};
          staging_.clear();
        }
      }
    }
    if (!staging_.empty() && !seal(staging_.data(), staging_.size())) {
      return {TlsEngine::Status::kFailed, 0};
    }
    return {TlsEngine::Status::kOk, taken};
  }

  // Sends the engine's output (one socket write at a time, in order; sealed into the outer
  // session's records first when tunnelling); wakes a waiting writer.
  void StartFlush() {
    if (flushing_ || write_error_) return;
    size_t batch = 0;  // this stream's ciphertext bytes the socket write carries
    if (outer_) {
      if (engine_.has_output()) {
        engine_.TakeOutput(sealing_);
        batch = sealing_.size();
        if (outer_->Write(sealing_.data(), sealing_.size()).status != TlsEngine::Status::kOk) {
          write_error_ = OuterError();
          flushed_signal_.cancel();
          return;
        }
      }
      if (!outer_->has_output()) return;
      outer_->TakeOutput(sending_);
    } else {
      if (!engine_.has_output()) return;
      engine_.TakeOutput(sending_);
      batch = sending_.size();
    }
    flushing_ = true;
    boost::asio::async_write(socket_, boost::asio::buffer(sending_), TransferAllAtOnce{},
                             [this, batch](const error_code& ec, size_t) {
                               flushing_ = false;
                               if (ec) {
                                 write_error_ = ec;
                               } else {
                                 flushed_ += batch;
                               }
                               flushed_signal_.cancel();
                               StartFlush();
                             });
  }

  // Where a socket read goes: this stream's engine, or the outer session's when tunnelling.
  std::span<char> SocketInputSpace() {
    return outer_ ? outer_->InputSpace(read_size_) : engine_.InputSpace(read_size_);
  }

  // Takes `n` bytes read from the socket; when tunnelling, opens the outer session's whole records
  // into this stream's engine (none yet is fine: the engine then asks for more). Returns a TLS
  // failure of the outer session, or end of file once it closed with nothing opened.
  error_code CommitSocketInput(size_t n) {
    if (!outer_) {
      engine_.CommitInput(n);
      return {};
    }
    outer_->CommitInput(n);
    size_t opened = 0;
    while (true) {
      std::span<char> space = engine_.InputSpace(kTlsRecordSize);
      TlsEngine::Outcome outcome = outer_->Read(space.data(), space.size());
      if (outcome.status == TlsEngine::Status::kOk) {
        engine_.CommitInput(outcome.bytes);
        opened += outcome.bytes;
        continue;
      }
      StartFlush();  // e.g. the outer session's KeyUpdate answer
      if (outcome.status == TlsEngine::Status::kWantInput) return {};
      if (outcome.status == TlsEngine::Status::kClosed) {
        return opened > 0 ? error_code{} : error_code{boost::asio::error::eof};
      }
      return OuterError();
    }
  }

  error_code OuterError() const {
    return error_code(static_cast<int>(outer_->error()), boost::asio::error::get_ssl_category());
  }

  // Write-behind: sends the buffered ciphertext once the writer stops writing, that is when a
  // check posted behind a write's completion finds that no newer write came since (Beast's and
  // Asio's write loops start their next piece from that completion), so the pieces of a message
  // and back-to-back messages leave in one system call.
  void FlushWhenIdle() {
    wrote_since_check_ = true;
    if (flush_check_pending_) return;
    flush_check_pending_ = true;
    PostFlushCheck();
  }
  void PostFlushCheck() {
    boost::asio::post(socket_.get_executor(), [this, alive = std::weak_ptr<char>(alive_)] {
      if (alive.expired()) return;  // the stream is gone
      if (wrote_since_check_) {
        wrote_since_check_ = false;
        return PostFlushCheck();
      }
      flush_check_pending_ = false;
      StartFlush();
    });
  }

  // Suspends `self` until the first `target` bytes the engine produced are on the socket (or
  // writing failed); `self` is then called again.
  template <typename Self>
  void AwaitFlushed(Self& self, size_t target) {
    StartFlush();
    if (flushed_ >= target || write_error_) {
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
      std::span<char> space = s->SocketInputSpace();
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
        if (!ec) ec = this->s->CommitSocketInput(n);
        if (ec) return this->Finish(self, ec, 0);
      }
      TlsStream* s = this->s;
      if (s->write_error_) return this->Finish(self, s->write_error_, 0);
      TlsEngine::Outcome outcome = s->engine_.Handshake();
      s->StartFlush();
      if (outcome.status != TlsEngine::Status::kOk) return this->NotYet(self, outcome, reading);
      if (s->flushed_ >= s->engine_.produced()) return this->Finish(self, {}, 0);
      this->started = true;
      s->AwaitFlushed(self, s->engine_.produced());
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
        if (!ec) ec = s->CommitSocketInput(n);
        if (ec) return this->Finish(self, ec, 0);
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
        TlsEngine::Outcome outcome = s->EncryptPieces();
        if (outcome.status != TlsEngine::Status::kOk) return this->Finish(self, s->TlsError(), 0);
        written = outcome.bytes;
        size_t produced = s->engine_.produced();
        target = produced - std::min(produced, s->write_behind_);
        if (s->flushed_ >= target) {  // write-behind: within the allowance
          this->Finish(self, {}, written);
          return s->FlushWhenIdle();  // after the completion Finish posted
        }
        s->StartFlush();
      }
      if (s->write_error_) return this->Finish(self, s->write_error_, 0);
      if (s->flushed_ >= target) return this->Finish(self, {}, written);
      this->started = true;
      s->AwaitFlushed(self, target);
    }
  };

  struct FlushOp : OpBase {
    template <typename Self>
    void operator()(Self& self, error_code = {}, size_t = 0) {
      if (this->Posted()) return this->Complete(self, this->result, 0);
      TlsStream* s = this->s;
      if (s->write_error_) return this->Finish(self, s->write_error_, 0);
      if (s->flushed_ >= s->engine_.produced()) return this->Finish(self, {}, 0);
      this->started = true;
      s->AwaitFlushed(self, s->engine_.produced());
    }
  };

  next_layer_type socket_;
  TlsEngine engine_;
  std::unique_ptr<TlsEngine> outer_;  // the proxy's TLS session this one tunnels through, or null
  size_t read_size_;
  std::vector<boost::asio::const_buffer> pieces_;  // plaintext of the write in progress
  std::string staging_;                            // small pieces gathered into one record
  std::string sending_;                            // ciphertext on its way to the socket
  std::string sealing_;  // this stream's ciphertext on its way into the outer session
  bool flushing_ = false;
  size_t flushed_ = 0;       // ciphertext bytes written to the socket
  size_t write_behind_ = 0;  // see set_write_behind
  bool wrote_since_check_ = false, flush_check_pending_ = false;  // see FlushWhenIdle
  std::shared_ptr<char> alive_ = std::make_shared<char>();        // for posted flush checks
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
