#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace mm::kubeapi {

// One TLS connection's OpenSSL state over in-memory ciphertext buffers, without I/O: the caller
// (tls_stream.h) reads the socket into InputSpace()/CommitInput() and writes output() to it. Large
// buffers on both sides let a single socket read or write carry many TLS records, which is where
// Asio's own SSL stream (one 17 KiB record per system call) spends its time on bulk transfers.
// Not thread-safe. Owns the SSL object.
class TlsEngine {
 public:
  // What an operation needs before it can go on.
  enum class Status {
    kOk,         // done (for Read: at least one byte, or the buffer was empty)
    kWantInput,  // more ciphertext from the peer first (after flushing output())
    kClosed,     // the peer sent close_notify (Read)
    kFailed,     // a TLS error: error() says which (OpenSSL's packed error code)
  };
  struct Outcome {
    Status status = Status::kOk;
    size_t bytes = 0;  // plaintext bytes read or written
  };

  // A client (or server) connection using `ctx`'s settings; configure the SSL object through
  // native_handle() (SNI, host name checks) before the handshake.
  TlsEngine(SSL_CTX* ctx, bool client);
  ~TlsEngine();
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;

  SSL* native_handle() { return ssl_; }

  // Where to put at least `min` bytes read from the socket; then CommitInput(n).
  std::span<char> InputSpace(size_t min);
  void CommitInput(size_t n) { in_end_ += n; }

  // Ciphertext to send, in order; the caller takes it with TakeOutput.
  bool has_output() const { return !out_.empty(); }
  void TakeOutput(std::string& into);
  // Total ciphertext bytes ever produced (so a writer can wait until its own bytes are sent).
  size_t produced() const { return produced_; }

  Outcome Handshake();
  // Decrypts into `data` until it is full or no whole record is buffered.
  Outcome Read(char* data, size_t size);
  // Encrypts all of `data` into output().
  Outcome Write(const char* data, size_t size);
  // Queues close_notify.
  void Shutdown();

  // The OpenSSL error of the last kFailed (0 when none was queued).
  unsigned long error() const { return error_; }

 private:
  friend struct TlsEngineBio;
  Outcome Fail(int result);

  SSL* ssl_ = nullptr;
  std::vector<char> in_;
  size_t in_begin_ = 0, in_end_ = 0;
  std::string out_;
  size_t produced_ = 0;
  unsigned long error_ = 0;
};

}  // namespace mm::kubeapi
