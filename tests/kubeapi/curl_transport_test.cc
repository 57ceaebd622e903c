#include "kubeapi/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "kubeapi/cancellation.h"

namespace mm::kubeapi {
namespace {

// Returns a socket listening on 127.0.0.1 on a free port, stored in `port`.
int ListenOnLoopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(fd, 8);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

// A TCP socket on 127.0.0.1 that listens but never answers: the kernel completes connections, so
// clients connect, send and then wait. Not an HTTP server.
class SilentListener {
 public:
  SilentListener() { fd_ = ListenOnLoopback(port_); }
  ~SilentListener() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Answers one HTTP/1.1 request on 127.0.0.1 with `body` (Content-Length set), written in small
// pieces as a server streaming a large list would, then closes.
class OneResponseServer {
 public:
  explicit OneResponseServer(std::string body) : body_(std::move(body)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneResponseServer() { thread_.join(); }
  int port() const { return listener_.port(); }

 private:
  void Serve() {
    int client = ::accept(listener_.fd(), nullptr, nullptr);
    if (client < 0) return;
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t got = ::read(client, buffer, sizeof buffer);
      if (got <= 0) break;
      request.append(buffer, static_cast<size_t>(got));
    }
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                       std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n";
    Send(client, head);
    for (size_t at = 0; at < body_.size(); at += 16384) Send(client, body_.substr(at, 16384));
    ::close(client);
  }
  static void Send(int fd, const std::string& data) {
    for (size_t sent = 0; sent < data.size();) {
      ssize_t n = ::write(fd, data.data() + sent, data.size() - sent);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  SilentListener listener_;
  std::string body_;
  std::thread thread_;
};

TEST(CurlTransportTest, BodyWithContentLengthIsReceivedIntoOneAllocation) {
  std::string body = "[" + std::string(1'000'000, ' ') + "]";  // 1,000,002 bytes, not a power of 2
  OneResponseServer server(body);
  CurlTransport transport(CurlTransportOptions{.user_agent = "test"});
  HttpResponse response = transport.RoundTrip(
      {.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/pods"});
  ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, body);
  // Reserved from Content-Length: a string grown chunk by chunk would end with spare capacity.
  EXPECT_EQ(response.body.capacity(), body.size());
}

// Answers the first connection on 127.0.0.1 with `reply` once the request head has arrived, and
// keeps that head. Join() waits for it (or gives up when nobody connected).
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) {
    fd_ = ListenOnLoopback(port_);
    thread_ = std::thread([this, reply = std::move(reply)] {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buffer[1024];
      ssize_t n = 0;
      while (request_.find("\r\n\r\n") == std::string::npos &&
             (n = ::read(client, buffer, sizeof buffer)) > 0) {
        request_.append(buffer, static_cast<size_t>(n));
      }
      EXPECT_EQ(::write(client, reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
      ::close(client);
    });
  }
  ~OneShotServer() { Join(); }
  void Join() {
    if (!thread_.joinable()) return;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept() when nobody came
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  const std::string& request() const { return request_; }  // after Join()

 private:
  int fd_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

TEST(CurlTransportTest, RefusedConnectionReadsLikeKubectl) {
  SilentListener listener;
  int port = listener.port();
  listener.Close();  // nothing listens there any more
  CurlTransport transport(CurlTransportOptions{.user_agent = "test"});
  HttpResponse response =
      transport.RoundTrip({.url = "https://127.0.0.1:" + std::to_string(port) + "/version"});
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(response.failure_message,
            "The connection to the server 127.0.0.1:" + std::to_string(port) +
                " was refused - did you specify the right host or port?");
}

// A proxy-url that nothing listens on is named in the error (kubectl would blame the server).
TEST(CurlTransportTest, RefusedProxyIsNamed) {
  SilentListener listener;
  std::string proxy = "127.0.0.1:" + std::to_string(listener.port());
  listener.Close();
  CurlTransport transport(
      CurlTransportOptions{.proxy_url = "http://u:secret@" + proxy, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "https://10.0.0.1:6443/version"});
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(response.failure_message,
            "Unable to connect to the server: proxyconnect tcp: dial tcp " + proxy +
                ": connect: connection refused");
}

// A proxy that answers CONNECT with 407 refused the tunnel: named, and not worth a retry.
TEST(CurlTransportTest, TunnelRefusedByTheProxyIsNamed) {
  OneShotServer proxy("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
  std::string address = "127.0.0.1:" + std::to_string(proxy.port());
  CurlTransport transport(
      CurlTransportOptions{.proxy_url = "http://" + address, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "https://10.0.0.1:6443/version"});
  proxy.Join();
  EXPECT_EQ(proxy.request().rfind("CONNECT 10.0.0.1:6443 HTTP/1.1\r\n", 0), 0u) << proxy.request();
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: proxy " + address +
                                          " refused the tunnel (CONNECT answered 407)");
}

// gzip is offered and a gzip body arrives decoded; disable-compression offers nothing.
TEST(CurlTransportTest, GzipIsAcceptedUnlessCompressionIsDisabled) {
  const std::string gzipped(
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\xca\xce\xcc\x4b\x51\xb2\x52\x0a\x2e\x49"
      "\x2c\x29\x2d\x56\xd2\x51\x4a\xaf\x52\xb2\x2a\x29\x2a\x4d\xad\x05\x00\xf5\x26\xcf\x29\x1b"
      "\x00\x00\x00",
      47);  // gzip of {"kind":"Status","gz":true}
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
      "Content-Length: 47\r\nConnection: close\r\n\r\n" +
      gzipped);
  CurlTransport transport(CurlTransportOptions{.user_agent = "test"});
  HttpResponse response =
      transport.RoundTrip({.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/x"});
  server.Join();
  EXPECT_NE(server.request().find("\r\nAccept-Encoding: gzip\r\n"), std::string::npos)
      << server.request();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"kind":"Status","gz":true})");

  OneShotServer plain("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  CurlTransport uncompressed(
      CurlTransportOptions{.disable_compression = true, .user_agent = "test"});
  response =
      uncompressed.RoundTrip({.url = "http://127.0.0.1:" + std::to_string(plain.port()) + "/x"});
  plain.Join();
  EXPECT_EQ(plain.request().find("Accept-Encoding"), std::string::npos) << plain.request();
  EXPECT_EQ(response.body, "{}");
}

TEST(CurlTransportTest, RequestTimeoutExpires) {
  SilentListener listener;
  CurlTransport transport(CurlTransportOptions{.user_agent = "test"});
  auto start = std::chrono::steady_clock::now();
  HttpResponse response = transport.RoundTrip(
      {.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/version",
       .timeout = std::chrono::milliseconds(200)});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.failure, NetworkFailure::kTimeout);
  EXPECT_EQ(response.failure_message,
            "Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded "
            "while awaiting headers)");
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(CurlTransportTest, CancellationAbortsAnInFlightRequestPromptly) {
  SilentListener listener;
  CurlTransport transport(CurlTransportOptions{.user_agent = "test"});
  CancellationToken cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel.Cancel();
  });
  auto start = std::chrono::steady_clock::now();
  HttpResponse response = transport.RoundTrip(
      {.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/watch", .cancel = &cancel});
  auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  EXPECT_EQ(response.failure, NetworkFailure::kCancelled);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: context canceled");
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));  // libcurl polls progress about every second
}

}  // namespace
}  // namespace mm::kubeapi
