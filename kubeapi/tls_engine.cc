#include "kubeapi/tls_engine.h"

#include <openssl/bio.h>
#include <openssl/err.h>

#include <algorithm>
#include <cstring>

namespace mm::kubeapi {

// The BIO between OpenSSL and the engine's buffers: reads take from the input buffer (asking to
// retry when it is empty), writes append to the output buffer and always succeed.
struct TlsEngineBio {
  static int Read(BIO* bio, char* data, int size) {
    auto* engine = static_cast<TlsEngine*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    size_t available = engine->in_end_ - engine->in_begin_;
    if (available == 0) {
      BIO_set_retry_read(bio);
      return -1;
    }
    size_t n = std::min(available, static_cast<size_t>(size));
    std::memcpy(data, engine->in_.data() + engine->in_begin_, n);
    engine->in_begin_ += n;
    return static_cast<int>(n);
  }
  static int Write(BIO* bio, const char* data, int size) {
    auto* engine = static_cast<TlsEngine*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    engine->out_.append(data, static_cast<size_t>(size));
    engine->produced_ += static_cast<size_t>(size);
    return size;
  }
  static long Ctrl(BIO* bio, int command, long /*number*/, void* /*pointer*/) {
    auto* engine = static_cast<TlsEngine*>(BIO_get_data(bio));
    switch (command) {
      case BIO_CTRL_FLUSH:
        return 1;
      case BIO_CTRL_PENDING:
        return static_cast<long>(engine->in_end_ - engine->in_begin_);
      case BIO_CTRL_WPENDING:
        return static_cast<long>(engine->out_.size());
      default:
        return 0;
    }
  }
  static int Create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }
  static const BIO_METHOD* Method() {
    static BIO_METHOD* method = [] {
      BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "mm-tls-memory");
      BIO_meth_set_read(m, Read);
      BIO_meth_set_write(m, Write);
      BIO_meth_set_ctrl(m, Ctrl);
      BIO_meth_set_create(m, Create);
      return m;
    }();
    return method;
  }
};

TlsEngine::TlsEngine(SSL_CTX* ctx, bool client) : ssl_(SSL_new(ctx)) {
  BIO* bio = BIO_new(TlsEngineBio::Method());
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one BIO both ways; the SSL object owns it
  if (client) {
    SSL_set_connect_state(ssl_);
  } else {
    SSL_set_accept_state(ssl_);
  }
}

TlsEngine::~TlsEngine() { SSL_free(ssl_); }

std::span<char> TlsEngine::InputSpace(size_t min) {
  if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
  if (in_.size() - in_end_ < min) {
    // Move what is left to the front (never memmove from an empty buffer's null data: UB), then
    // grow if that is not enough.
    if (in_begin_ > 0) {
      std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (in_.size() - in_end_ < min) in_.resize(in_end_ + min);
  }
  return {in_.data() + in_end_, in_.size() - in_end_};
}

void TlsEngine::TakeOutput(std::string& into) {
  into.clear();
  into.swap(out_);
}

TlsEngine::Outcome TlsEngine::Fail(int result) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return {Status::kWantInput, 0};
    case SSL_ERROR_ZERO_RETURN:
      return {Status::kClosed, 0};
    default:
      error_ = ERR_get_error();
      ERR_clear_error();
      return {Status::kFailed, 0};
  }
}

TlsEngine::Outcome TlsEngine::Handshake() {
  ERR_clear_error();
  int result = SSL_do_handshake(ssl_);
  return result == 1 ? Outcome{Status::kOk, 0} : Fail(result);
}

TlsEngine::Outcome TlsEngine::Read(char* data, size_t size) {
  size_t total = 0;
  while (total < size) {
    ERR_clear_error();
    size_t n = 0;
    int result = SSL_read_ex(ssl_, data + total, size - total, &n);
    if (result != 1) {
      Outcome failed = Fail(result);
      // Bytes already read are delivered first; the condition shows again on the next call.
      if (total > 0 && failed.status != Status::kFailed) break;
      if (total > 0) return {Status::kOk, total};
      return failed;
    }
    total += n;
  }
  return {Status::kOk, total};
}

TlsEngine::Outcome TlsEngine::Write(const char* data, size_t size) {
  if (size == 0) return {Status::kOk, 0};
  ERR_clear_error();
  size_t n = 0;
  int result = SSL_write_ex(ssl_, data, size, &n);
  return result == 1 ? Outcome{Status::kOk, n} : Fail(result);
}

void TlsEngine::Shutdown() {
  ERR_clear_error();
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

}  // namespace mm::kubeapi
