// TlsEngine against itself in memory: a client and a server engine, their output carried to the
// other's input in odd-sized pieces, with certificates made by the openssl CLI.
#include "kubeapi/tls_engine.h"

#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <memory>
#include <string>

#include "tests/kubeapi/temp_dir.h"
#include "tests/kubeapi/tls_server.h"

namespace mm::kubeapi {
namespace {

using Status = TlsEngine::Status;
using CtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

std::string Pattern(size_t size) {
  std::string text(size, '\0');
  for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
  return text;
}

class TlsEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::MakeCertificates(dir_, certs_));
    ASSERT_EQ(
        SSL_CTX_use_certificate_chain_file(server_ctx_.get(), (certs_.dir + "/server.crt").c_str()),
        1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey_file(server_ctx_.get(), (certs_.dir + "/server.key").c_str(),
                                          SSL_FILETYPE_PEM),
              1);
  }

  // A client that trusts `ca_file` and checks the server's address.
  std::unique_ptr<TlsEngine> Client(const std::string& ca_file) {
    SSL_CTX_set_verify(client_ctx_.get(), SSL_VERIFY_PEER, nullptr);
    EXPECT_EQ(SSL_CTX_load_verify_locations(client_ctx_.get(), ca_file.c_str(), nullptr), 1);
    auto client = std::make_unique<TlsEngine>(client_ctx_.get(), true);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(client->native_handle()), "127.0.0.1");
    return client;
  }

  // Moves `from`'s output to `to`'s input in pieces of `piece` bytes; returns the bytes moved.
  static size_t Carry(TlsEngine& from, TlsEngine& to, size_t piece = 7777) {
    std::string bytes;
    from.TakeOutput(bytes);
    for (size_t at = 0; at < bytes.size(); at += piece) {
      size_t n = std::min(piece, bytes.size() - at);
      std::copy_n(bytes.data() + at, n, to.InputSpace(n).data());
      to.CommitInput(n);
    }
    return bytes.size();
  }

  // Runs both handshakes to their end; returns the client's last outcome.
  static TlsEngine::Outcome Handshake(TlsEngine& client, TlsEngine& server) {
    TlsEngine::Outcome c, s;
    for (int round = 0; round < 10; ++round) {
      c = client.Handshake();
      Carry(client, server);
      s = server.Handshake();
      Carry(server, client);
      if (c.status != Status::kWantInput && s.status != Status::kWantInput) break;
    }
    return c;
  }

  testing::TempDir dir_;
  testing::TestCertificates certs_;
  CtxPtr client_ctx_{SSL_CTX_new(TLS_client_method()), SSL_CTX_free};
  CtxPtr server_ctx_{SSL_CTX_new(TLS_server_method()), SSL_CTX_free};
};

TEST_F(TlsEngineTest, CarriesMegabytesBothWaysAndTheCloseNotify) {
  auto client = Client(certs_.dir + "/ca.crt");
  TlsEngine server(server_ctx_.get(), false);
  ASSERT_EQ(Handshake(*client, server).status, Status::kOk);
  Carry(*client, server);  // e.g. the client's last handshake message

  const std::string up = Pattern(3 << 20);
  ASSERT_EQ(client->Write(up.data(), up.size()).bytes, up.size());
  size_t ciphertext = Carry(*client, server, 100000);
  EXPECT_GT(ciphertext, up.size());  // every byte went into records
  std::string received;
  std::string buffer(300000, '\0');
  while (true) {
    TlsEngine::Outcome read = server.Read(buffer.data(), buffer.size());
    if (read.status != Status::kOk || read.bytes == 0) {
      EXPECT_EQ(read.status, Status::kWantInput);
      break;
    }
    // One call fills the buffer from many records, not one record at a time.
    EXPECT_TRUE(read.bytes == buffer.size() || received.size() + read.bytes == up.size());
    received.append(buffer.data(), read.bytes);
  }
  EXPECT_EQ(received, up);

  const std::string down = "pong";
  ASSERT_EQ(server.Write(down.data(), down.size()).status, Status::kOk);
  server.Shutdown();
  Carry(server, *client, 3);
  TlsEngine::Outcome read = client->Read(buffer.data(), buffer.size());
  ASSERT_EQ(read.status, Status::kOk);
  EXPECT_EQ(buffer.substr(0, read.bytes), down);
  EXPECT_EQ(client->Read(buffer.data(), buffer.size()).status, Status::kClosed);
}

TEST_F(TlsEngineTest, AnUntrustedServerFailsTheHandshake) {
  auto client = Client(certs_.dir + "/other.crt");
  TlsEngine server(server_ctx_.get(), false);
  TlsEngine::Outcome outcome = Handshake(*client, server);
  EXPECT_EQ(outcome.status, Status::kFailed);
  EXPECT_NE(client->error(), 0u);
  EXPECT_NE(SSL_get_verify_result(client->native_handle()), X509_V_OK);
}

}  // namespace
}  // namespace mm::kubeapi
