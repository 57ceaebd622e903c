// The port-forward benchmark's ceiling (tests/bench/port_forward.py): N MB over one loopback TCP
// connection between two processes, plain or through one TLS 1.3 hop (AES-128-GCM), with both
// ends written for throughput and nothing else in the way: blocking sockets, 1 MiB plaintext
// writes encrypted into one buffer and sent in one system call (the sandbox's write-behind),
// 256 KiB socket reads decrypted into 1 MiB reads, through the TLS engine the sandbox and our
// client use (kubeapi/tls_engine.h). A port-forward adds the kubelet's hop and the forwarder's
// local hop to this, so this is an upper bound for it on the same machine.
//
// usage: tls_hop_bench [--mb N] [--plain]
// Prints one line: "MB/s X sender_cpu_ms Y receiver_cpu_ms Z" (the child process sends, the
// parent receives; CPU from getrusage, so it does not depend on the machine's load). Exit 1 with
// "error: ..." when a step fails.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kubeapi/tls_engine.h"
#include "tests/sandbox/pki.h"

namespace {

using mm::kubeapi::TlsEngine;
constexpr size_t kWrite = 1 << 20;       // plaintext per write (and per read on the receiver)
constexpr size_t kSocketRead = 1 << 18;  // ciphertext per socket read, as the sandbox reads

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "error: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) Die("write");
    data += n;
    size -= static_cast<size_t>(n);
  }
}

double CpuMs(const rusage& usage) {
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<SSL_CTX, CtxFree>;

// TLS 1.3 only, AES-128-GCM only; the server's with a fresh certificate and key.
Ctx MakeContext(bool server) {
  Ctx ctx(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_ciphersuites(ctx.get(), "TLS_AES_128_GCM_SHA256") != 1) {
    Die("SSL_CTX setup");
  }
  if (!server) return ctx;
  auto pki = sandbox::GeneratePki({}, "bench", {});
  if (!pki) Die(pki.error().message());
  BIO* cert_bio = BIO_new_mem_buf(pki->server.cert_pem.data(), -1);
  BIO* key_bio = BIO_new_mem_buf(pki->server.key_pem.data(), -1);
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  bool ok = cert != nullptr && key != nullptr && SSL_CTX_use_certificate(ctx.get(), cert) == 1 &&
            SSL_CTX_use_PrivateKey(ctx.get(), key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  if (!ok) Die("loading the certificate");
  return ctx;
}

// One end of the connection: plaintext through `tls` when set, else straight to the socket.
class End {
 public:
  End(int fd, SSL_CTX* ctx, bool server) : fd_(fd) {
    if (ctx != nullptr) tls_.emplace(ctx, !server);
  }

  void Handshake() {
    if (!tls_) return;
    while (true) {
      TlsEngine::Outcome outcome = tls_->Handshake();
      Flush();
      if (outcome.status == TlsEngine::Status::kOk) return;
      if (outcome.status != TlsEngine::Status::kWantInput || !Fill()) Die("TLS handshake");
    }
  }

  void Send(const char* data, size_t size) {
    if (!tls_) return WriteAll(fd_, data, size);
    if (tls_->Write(data, size).status != TlsEngine::Status::kOk) Die("TLS write");
    Flush();
  }

  // Up to `size` bytes; 0 at the end of the stream.
  size_t Receive(char* data, size_t size) {
    if (!tls_) {
      ssize_t n = ::read(fd_, data, size);
      if (n < 0) Die("read");
      return static_cast<size_t>(n);
    }
    while (true) {
      TlsEngine::Outcome outcome = tls_->Read(data, size);
      if (outcome.status == TlsEngine::Status::kOk && outcome.bytes > 0) return outcome.bytes;
      if (outcome.status == TlsEngine::Status::kClosed) return 0;
      if (outcome.status == TlsEngine::Status::kFailed) Die("TLS read");
      Flush();  // a key update or ticket may want an answer
      if (!Fill()) return 0;
    }
  }

  void Close() {
    if (tls_) {
      tls_->Shutdown();
      Flush();
    }
    ::shutdown(fd_, SHUT_WR);
  }

 private:
  void Flush() {
    if (!tls_->has_output()) return;
    tls_->TakeOutput(output_);
    WriteAll(fd_, output_.data(), output_.size());
  }
  bool Fill() {
    std::span<char> space = tls_->InputSpace(kSocketRead);
    ssize_t n = ::read(fd_, space.data(), space.size());
    if (n < 0) Die("read");
    tls_->CommitInput(static_cast<size_t>(n));
    return n > 0;
  }

  int fd_;
  std::optional<TlsEngine> tls_;
  std::string output_;
};

// The child: waits for the receiver's go byte, sends `total` bytes, closes.
void Sender(int fd, SSL_CTX* ctx, uint64_t total) {
  End end(fd, ctx, true);
  end.Handshake();
  char go = 0;
  if (end.Receive(&go, 1) != 1) Die("waiting for the go byte");
  std::string block(kWrite, '\0');
  for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>('a' + i % 26);
  for (uint64_t left = total; left > 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, kWrite));
    end.Send(block.data(), n);
    left -= n;
  }
  end.Close();
}

int Listen(uint16_t* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(fd, 1) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size)) {
    Die("listen on 127.0.0.1");
  }
  *port = ntohs(address.sin_port);
  return fd;
}

int Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    Die("connect to 127.0.0.1");
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t mb = 200;
  bool plain = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--plain") {
      plain = true;
    } else if (arg == "--mb" && i + 1 < argc) {
      mb = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "error: unknown argument %s\nusage: tls_hop_bench [--mb N] [--plain]\n",
                   arg.c_str());
      return 1;
    }
  }
  uint64_t total = mb * 1000 * 1000;
  Ctx server_ctx = plain ? Ctx() : MakeContext(true);
  Ctx client_ctx = plain ? Ctx() : MakeContext(false);
  uint16_t port = 0;
  int listener = Listen(&port);
  std::fflush(nullptr);
  pid_t child = ::fork();
  if (child < 0) Die("fork");
  if (child == 0) {
    int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) Die("accept");
    Sender(fd, server_ctx.get(), total);
    std::_Exit(0);
  }
  ::close(listener);
  int fd = Connect(port);
  End end(fd, client_ctx.get(), false);
  end.Handshake();
  rusage before{};
  ::getrusage(RUSAGE_SELF, &before);
  auto start = std::chrono::steady_clock::now();
  end.Send("g", 1);
  std::vector<char> buffer(kWrite);
  uint64_t received = 0;
  while (size_t n = end.Receive(buffer.data(), buffer.size())) received += n;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage after{}, sender{};
  ::getrusage(RUSAGE_SELF, &after);
  int status = 0;
  if (::wait4(child, &status, 0, &sender) != child || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "error: the sending process failed\n");
    return 1;
  }
  if (received != total) {
    std::fprintf(stderr, "error: received %llu of %llu bytes\n",
                 static_cast<unsigned long long>(received), static_cast<unsigned long long>(total));
    return 1;
  }
  std::printf("MB/s %.1f sender_cpu_ms %.1f receiver_cpu_ms %.1f\n", total / seconds / 1e6,
              CpuMs(sender), CpuMs(after) - CpuMs(before));
  return 0;
}
