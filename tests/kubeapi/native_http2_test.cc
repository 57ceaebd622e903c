// HTTP/2 when the server offers it: the transport against an h2-only TLS server (h2_server.py,
// Debian's python3-h2), and HTTP/1.1 against OpenSSL's s_server, which offers no ALPN.
#include <gtest/gtest.h>

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

  TempDir dir_;
  TestCertificates certificates_;
};

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
