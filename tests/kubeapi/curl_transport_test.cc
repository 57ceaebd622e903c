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

// A TCP socket on 127.0.0.1 that listens but never answers: the kernel completes connections, so
// clients connect, send and then wait. Not an HTTP server.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 8);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
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
  int server = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(server, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
  std::string proxy = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  std::thread answer([server] {
    int client = ::accept(server, nullptr, nullptr);
    std::string request;
    char buffer[1024];
    ssize_t n = 0;
    while (request.find("\r\n\r\n") == std::string::npos &&
           (n = ::read(client, buffer, sizeof buffer)) > 0) {
      request.append(buffer, static_cast<size_t>(n));
    }
    std::string reply = "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n";
    EXPECT_EQ(::write(client, reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
    ::close(client);
  });
  CurlTransport transport(
      CurlTransportOptions{.proxy_url = "http://" + proxy, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "https://10.0.0.1:6443/version"});
  answer.join();
  ::close(server);
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: proxy " + proxy +
                                          " refused the tunnel (CONNECT answered 407)");
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
