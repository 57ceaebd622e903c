// HTTP/2 when the server offers it: the transport against an h2-only TLS server (h2_server.py,
// Debian's python3-h2), and HTTP/1.1 against OpenSSL's s_server, which offers no ALPN.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "kubeapi/file_util.h"
#include "kubeapi/native_transport.h"
#include "tests/kubeapi/tls_server.h"

namespace mm::kubeapi {
namespace {

using testing::OpensslServer;
using testing::ServerProcess;
using testing::TempDir;
using testing::TestCertificates;

class NativeHttp2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::MakeCertificates(dir_, certificates_)) << "openssl made no certificates";
  }

  // Three GETs through one transport: the responses and how many connections each opened.
  std::vector<HttpResponse> ThreeGets(int port) {
    NativeTransport transport(
        NetworkOptions{.tls = {.ca_pem = certificates_.ca_pem}, .user_agent = "kubeapi-test"});
    std::vector<HttpResponse> responses;
    for (const char* path : {"/api", "/apis", "/version"}) {
      responses.push_back(
          transport.RoundTrip({.url = "https://127.0.0.1:" + std::to_string(port) + path,
                               .timeout = std::chrono::seconds(60)}));
    }
    return responses;
  }

  std::string ServerLog() {
    auto text = ReadFileContents(dir_.Path("h2.log"));
    return text ? *text : std::string();
  }

  // Waits (generously: the machine may be loaded) until the server's log shows `line`.
  bool AwaitLogLine(const std::string& line) {
    for (int i = 0; i < 600; ++i) {
      if (ServerLog().find(line + "\n") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // Runs h2_server.py in `mode` (see there) and sends it a GET, then (once its log shows
  // `between`) a POST, through one transport. Returns the POST's response, which must have come
  // on a fresh connection. (A POST is never resent after a lost connection, only when provably
  // not processed.)
  HttpResponse GetThenPostOnAFreshConnection(const std::string& mode, const std::string& between) {
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{"/usr/bin/python3", MM_TESTS_KUBEAPI_DIR "/h2_server.py",
                                 dir_.Path("server.crt"), dir_.Path("server.key"), mode},
        dir_.Path("h2.log"), "listening on ");
    EXPECT_GT(server_->port(), 0) << "h2_server.py did not start (python3-h2 missing?)";
    NativeTransport transport(NetworkOptions{.tls = {.ca_pem = certificates_.ca_pem}});
    const std::string base = "https://127.0.0.1:" + std::to_string(server_->port());
    HttpResponse get =
        transport.RoundTrip({.url = base + "/api", .timeout = std::chrono::seconds(60)});
    EXPECT_EQ(get.status, 200) << get.failure_message;
    EXPECT_TRUE(AwaitLogLine(between)) << ServerLog();
    HttpResponse post = transport.RoundTrip({.method = "POST",
                                             .url = base + "/apis",
                                             .body = "{}",
                                             .timeout = std::chrono::seconds(60)});
    EXPECT_EQ(post.failure, NetworkFailure::kNone) << post.failure_message;
    EXPECT_EQ(post.status, 200);
    EXPECT_EQ(post.new_connections, 1);
    EXPECT_TRUE(AwaitLogLine("2 POST /apis")) << ServerLog();
    return post;
  }

  std::unique_ptr<ServerProcess> server_;
  TempDir dir_;
  TestCertificates certificates_;
};

// GOAWAY on an idle pooled connection: the next request sees it before sending and goes to a
// fresh connection; the old one never carries it.
TEST_F(NativeHttp2Test, IdleConnectionThatReceivedGoawayIsNotReused) {
  GetThenPostOnAFreshConnection("goaway-idle", "1 goaway");
  EXPECT_EQ(ServerLog().find("request after goaway"), std::string::npos) << ServerLog();
}

// The server answers a new stream with GOAWAY naming an older last-stream-id (RFC 9113 §8.7): the
// request was not processed, so even a POST goes again on a fresh connection, without an error.
TEST_F(NativeHttp2Test, RequestRefusedByGoawayIsSentAgainOnAFreshConnection) {
  HttpResponse post = GetThenPostOnAFreshConnection("goaway-refuse", "1 GET /api");
  EXPECT_EQ(post.body, R"({"path": "/apis", "protocol": "h2"})");
  EXPECT_TRUE(AwaitLogLine("1 refused 3")) << ServerLog();
}

// The server closed an idle connection with close_notify (TLS data still waits on the socket, so
// the socket alone does not look closed): the next request, a POST, goes to a fresh connection.
TEST_F(NativeHttp2Test, IdleConnectionTheServerClosedIsNotReused) {
  GetThenPostOnAFreshConnection("close-idle", "1 closed");
}

TEST_F(NativeHttp2Test, SpeaksHttp2WhenTheServerOffersItOnOneConnection) {
  ServerProcess server({"/usr/bin/python3", MM_TESTS_KUBEAPI_DIR "/h2_server.py",
                        dir_.Path("server.crt"), dir_.Path("server.key")},
                       dir_.Path("h2.log"), "listening on ");
  ASSERT_GT(server.port(), 0) << "h2_server.py did not start (python3-h2 missing?)";
  std::vector<HttpResponse> responses = ThreeGets(server.port());
  std::vector<int> connections;
  for (const HttpResponse& response : responses) {
    ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.http2);
    connections.push_back(response.new_connections);
  }
  EXPECT_EQ(responses[2].body, R"({"path": "/version", "protocol": "h2"})");
  EXPECT_EQ(connections, (std::vector<int>{1, 0, 0}));
}

// Through an https:// proxy (tests/e2e/connect_proxy.py --tls, with the server's certificate,
// which the configured CA vouches for): TLS to the proxy, CONNECT inside it, and the server's TLS
// inside the tunnel still negotiates h2 by ALPN; the pooled connection keeps its tunnel.
TEST_F(NativeHttp2Test, SpeaksHttp2InsideAnHttpsProxyTunnel) {
  ServerProcess server({"/usr/bin/python3", MM_TESTS_KUBEAPI_DIR "/h2_server.py",
                        dir_.Path("server.crt"), dir_.Path("server.key")},
                       dir_.Path("h2.log"), "listening on ");
  ASSERT_GT(server.port(), 0) << "h2_server.py did not start (python3-h2 missing?)";
  ServerProcess proxy(
      {"/usr/bin/python3", MM_TESTS_KUBEAPI_DIR "/../e2e/connect_proxy.py", dir_.Path("proxy.log"),
       "--tls", dir_.Path("server.crt"), dir_.Path("server.key")},
      dir_.Path("proxy.out"), "listening on ");
  ASSERT_GT(proxy.port(), 0) << "connect_proxy.py did not start";
  NativeTransport transport(
      NetworkOptions{.tls = {.ca_pem = certificates_.ca_pem},
                     .proxy_url = "https://127.0.0.1:" + std::to_string(proxy.port())});
  const std::string base = "https://127.0.0.1:" + std::to_string(server.port());
  std::vector<int> connections;
  for (const char* path : {"/api", "/version"}) {
    HttpResponse response =
        transport.RoundTrip({.url = base + path, .timeout = std::chrono::seconds(60)});
    ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
    EXPECT_TRUE(response.http2);
    EXPECT_EQ(response.body, R"({"path": ")" + std::string(path) + R"(", "protocol": "h2"})");
    connections.push_back(response.new_connections);
  }
  EXPECT_EQ(connections, (std::vector<int>{1, 0}));
  auto log = ReadFileContents(dir_.Path("proxy.log"));
  EXPECT_EQ(log ? *log : "", "CONNECT 127.0.0.1:" + std::to_string(server.port()) + " 200\n");
}

TEST_F(NativeHttp2Test, FallsBackToHttp1WhenTheServerDoesNotOfferIt) {
  OpensslServer server(dir_.path());
  ASSERT_GT(server.port(), 0) << "openssl s_server did not start";
  HttpResponse response = ThreeGets(server.port())[0];
  ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.http2);
}

}  // namespace
}  // namespace mm::kubeapi
