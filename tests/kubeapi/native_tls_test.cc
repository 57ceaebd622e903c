#include <gtest/gtest.h>

#include "kubeapi/native_transport.h"
#include "tests/kubeapi/tls_server.h"

namespace mm::kubeapi {
namespace {

using testing::OpensslServer;
using testing::TempDir;
using testing::TestCertificates;

// TLS checks against OpenSSL's s_server: certificate verification from an in-memory CA, the
// insecure switch, tls-server-name, and a client certificate handed over from memory.
class NativeTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    certificates_ = new TestCertificates();
    ready_ = testing::MakeCertificates(*dir_, *certificates_);
    if (ready_) server_ = new OpensslServer(dir_->path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete certificates_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << "openssl could not make test certificates";
    ASSERT_GT(server_->port(), 0) << "openssl s_server did not start";
  }

  static HttpResponse Get(NetworkOptions options, const std::string& host = "127.0.0.1") {
    options.user_agent = "test";
    NativeTransport transport(std::move(options));
    return transport.RoundTrip(
        {.url = "https://" + host + ":" + std::to_string(server_->port()) + "/",
         .timeout = std::chrono::seconds(10)});
  }
  static std::shared_ptr<const ClientIdentity> Alice() {
    auto identity = std::make_shared<ClientIdentity>();
    identity->certificate_pem = certificates_->client_cert_pem;
    identity->key_pem = SecretString(certificates_->client_key_pem);
    return identity;
  }

  static inline TempDir* dir_ = nullptr;
  static inline TestCertificates* certificates_ = nullptr;
  static inline OpensslServer* server_ = nullptr;
  static inline bool ready_ = false;
};

constexpr char kUnknownAuthority[] =
    "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed "
    "by unknown authority";

TEST_F(NativeTlsTest, VerificationCases) {
  struct Case {
    std::string name;
    TlsConfig tls;
    std::string host;
    int status;
    std::string failure;
  };
  const std::vector<Case> cases = {
      {"the configured CA", {certificates_->ca_pem, false, ""}, "127.0.0.1", 200, ""},
      {"system roots do not know the test CA", {"", false, ""}, "127.0.0.1", 0, kUnknownAuthority},
      {"another CA", {certificates_->other_ca_pem, false, ""}, "127.0.0.1", 0, kUnknownAuthority},
      {"insecure", {"", true, ""}, "127.0.0.1", 200, ""},
      {"tls-server-name checked instead of the URL's host",
       {certificates_->ca_pem, false, "kubernetes.default.svc"},
       "localhost",
       200,
       ""},
      {"wrong tls-server-name",
       {certificates_->ca_pem, false, "wrong.example"},
       "127.0.0.1",
       0,
       "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is "
       "not valid for wrong.example"},
      {"host not in the certificate",
       {certificates_->ca_pem, false, ""},
       "localhost",
       0,
       "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is "
       "not valid for localhost"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    HttpResponse response = Get({.tls = c.tls}, c.host);
    EXPECT_EQ(response.status, c.status);
    EXPECT_EQ(response.failure_message, c.failure);
  }
}

TEST_F(NativeTlsTest, ClientCertificateFromMemory) {
  HttpResponse with = Get({.tls = {certificates_->ca_pem, false, ""}, .identity = Alice()});
  ASSERT_EQ(with.status, 200) << with.failure_message;
  EXPECT_NE(with.body.find("Subject: CN=alice"), std::string::npos);
  HttpResponse without = Get({.tls = {certificates_->ca_pem, false, ""}});
  ASSERT_EQ(without.status, 200) << without.failure_message;
  EXPECT_EQ(without.body.find("Subject: CN=alice"), std::string::npos);
}

}  // namespace
}  // namespace mm::kubeapi
