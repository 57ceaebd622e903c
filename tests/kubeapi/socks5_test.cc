// SOCKS5 proxies (a kubeconfig proxy-url of socks5://), against a scripted proxy on 127.0.0.1.
#include "kubeapi/socks5.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "kubeapi/native_transport.h"
#include "tests/kubeapi/loopback_servers.h"

namespace mm::kubeapi {
namespace {

using testing::ListenOnLoopback;

// A one-connection SOCKS5 proxy: checks nothing, records what the client sent, answers CONNECT
// with `reply_code`, then (on success) answers one HTTP request with "via socks".
class ScriptedSocksProxy {
 public:
  explicit ScriptedSocksProxy(char reply_code) {
    fd_ = ListenOnLoopback(port_);
    thread_ = std::thread([this, reply_code] {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      greeting_ = ReadAtLeast(client, 4);
      Send(client, std::string("\x05\x02", 2));  // user/password, please
      authentication_ = ReadAtLeast(client, 5);
      Send(client, std::string("\x01\x00", 2));
      connect_ = ReadAtLeast(client, 7);
      Send(client, std::string("\x05", 1) + reply_code + std::string("\x00\x01\0\0\0\0\0\0", 8));
      if (reply_code == 0) {
        request_ = ReadAtLeast(client, 1);
        Send(client, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nvia socks");
      }
      ::close(client);
    });
  }
  ~ScriptedSocksProxy() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::string greeting_, authentication_, connect_, request_;

 private:
  static std::string ReadAtLeast(int fd, size_t size) {
    std::string data;
    char buffer[4096];
    while (data.size() < size) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
    }
    return data;
  }
  static void Send(int fd, const std::string& data) {
    EXPECT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(Socks5Test, MessagesFollowRfc1928And1929) {
  EXPECT_EQ(Socks5Greeting(false), std::string("\x05\x01\x00", 3));
  EXPECT_EQ(Socks5Greeting(true), std::string("\x05\x02\x00\x02", 4));
  EXPECT_EQ(Socks5Authentication("mm", "pw"), std::string("\x01\x02mm\x02pw", 7));
  EXPECT_EQ(Socks5Authentication(std::string(256, 'u'), "pw"), "");
  EXPECT_EQ(Socks5Connect("10.0.0.1", 6443),
            std::string("\x05\x01\x00\x01\x0a\x00\x00\x01\x19\x2b", 10));
  EXPECT_EQ(Socks5Connect("api.example", 443), std::string("\x05\x01\x00\x03\x0b"
                                                           "api.example\x01\xbb",
                                                           18));
  EXPECT_EQ(Socks5Connect("::1", 80).substr(0, 4), std::string("\x05\x01\x00\x04", 4));
  EXPECT_EQ(Socks5ReplyText(5), "connection refused");
}

TEST(Socks5Test, RequestsGoThroughTheProxyWhichResolvesTheName) {
  ScriptedSocksProxy proxy(0);
  NativeTransport transport(
      NetworkOptions{.proxy_url = "socks5://mm:p%40ss@127.0.0.1:" + std::to_string(proxy.port()),
                     .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "http://api.example:8080/version"});
  EXPECT_EQ(response.body, "via socks") << response.failure_message;
  EXPECT_EQ(proxy.greeting_, std::string("\x05\x02\x00\x02", 4));
  EXPECT_EQ(proxy.authentication_, std::string("\x01\x02mm\x04p@ss", 9));
  EXPECT_EQ(proxy.connect_, std::string("\x05\x01\x00\x03\x0b"
                                        "api.example\x1f\x90",
                                        18));
  EXPECT_EQ(proxy.request_.rfind("GET /version HTTP/1.1\r\n", 0), 0u) << proxy.request_;
}

TEST(Socks5Test, RefusedConnectIsNamed) {
  ScriptedSocksProxy proxy(5);
  std::string address = "127.0.0.1:" + std::to_string(proxy.port());
  NativeTransport transport(
      NetworkOptions{.proxy_url = "socks5://u:p@" + address, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "https://10.0.0.1:6443/version"});
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: socks connect tcp " +
                                          address + "->10.0.0.1:6443: connection refused");
}

}  // namespace
}  // namespace mm::kubeapi
