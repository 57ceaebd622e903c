// TlsStream over a real loopback TCP connection: a client and a server stream on one io_context
// (certificates made by the openssl CLI). The sockets' buffers are made small, so a peer that does
// not read holds a writer back, which shows when a write completes.
#include "kubeapi/tls_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/read.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/kubeapi/temp_dir.h"
#include "tests/kubeapi/tls_server.h"

namespace mm::kubeapi {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using CtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

constexpr auto kPatience = std::chrono::seconds(60);  // generous: the machine may be loaded

std::string Pattern(size_t size, char first = 'a') {
  std::string text(size, '\0');
  for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>(first + i % 26);
  return text;
}

class TlsStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::MakeCertificates(dir_, certs_));
    const std::string d = certs_.dir;
    ASSERT_EQ(SSL_CTX_use_certificate_chain_file(server_ctx_.get(), (d + "/server.crt").c_str()),
              1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey_file(server_ctx_.get(), (d + "/server.key").c_str(),
                                          SSL_FILETYPE_PEM),
              1);
    SSL_CTX_set_verify(client_ctx_.get(), SSL_VERIFY_PEER, nullptr);
    ASSERT_EQ(SSL_CTX_load_verify_locations(client_ctx_.get(), (d + "/ca.crt").c_str(), nullptr),
              1);

    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    tcp::socket client_socket(io_);
    client_socket.open(tcp::v4());
    client_socket.set_option(asio::socket_base::receive_buffer_size(32 * 1024));
    client_socket.connect(acceptor.local_endpoint());
    tcp::socket server_socket = acceptor.accept();
    server_socket.set_option(asio::socket_base::send_buffer_size(32 * 1024));
    client_.emplace(std::move(client_socket), client_ctx_.get(), true);
    server_.emplace(std::move(server_socket), server_ctx_.get(), false);

    int done = 0;
    error_code client_error, server_error;
    client_->async_handshake([&](error_code ec) { client_error = ec, ++done; });
    server_->async_handshake([&](error_code ec) { server_error = ec, ++done; });
    RunUntil([&] { return done == 2; });
    ASSERT_FALSE(client_error) << client_error.message();
    ASSERT_FALSE(server_error) << server_error.message();
  }

  // Runs handlers until `done()` holds or kPatience passed; returns `done()`.
  template <typename Done>
  bool RunUntil(Done done) {
    auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(std::chrono::milliseconds(20));
    }
    return done();
  }
  // Runs whatever is ready for `duration` (long enough for a write that could finish to do so).
  void RunFor(std::chrono::milliseconds duration) {
    io_.restart();
    io_.run_for(duration);
  }

  // Starts writing `data` on the server; sets `written`.
  void Write(const std::string& data, bool& written) {
    asio::async_write(*server_, asio::buffer(data), [&](error_code ec, size_t) {
      EXPECT_FALSE(ec) << ec.message();
      written = true;
    });
  }

  // Starts reading exactly `size` bytes on the client into `received`; sets `done`.
  void ReadAll(size_t size, std::string& received, bool& done) {
    received.assign(size, '\0');
    asio::async_read(*client_, asio::buffer(received), [&](error_code ec, size_t n) {
      EXPECT_FALSE(ec) << ec.message();
      received.resize(n);
      done = true;
    });
  }

  testing::TempDir dir_;
  testing::TestCertificates certs_;
  CtxPtr client_ctx_{SSL_CTX_new(TLS_client_method()), SSL_CTX_free};
  CtxPtr server_ctx_{SSL_CTX_new(TLS_server_method()), SSL_CTX_free};
  asio::io_context io_;
  std::optional<TlsStream> client_, server_;
};

TEST_F(TlsStreamTest, AWriteWaitsForTheSocketByDefault) {
  const std::string data = Pattern(1 << 20);
  bool written = false;
  Write(data, written);
  RunFor(std::chrono::milliseconds(300));
  EXPECT_FALSE(written);  // the client reads nothing, and the sockets hold far less than 1 MiB
  std::string received;
  bool read = false;
  ReadAll(data.size(), received, read);
  ASSERT_TRUE(RunUntil([&] { return written && read; }));
  EXPECT_EQ(received, data);
}

TEST_F(TlsStreamTest, WriteBehindCompletesWritesEarlyAndFlushWaitsForTheSocket) {
  server_->set_write_behind(2 << 20);
  const std::string data = Pattern(1 << 20);
  bool written = false;
  Write(data, written);
  EXPECT_TRUE(RunUntil([&] { return written; }));  // held by the stream, not by the socket
  bool flushed = false;
  server_->async_flush([&](error_code ec) {
    EXPECT_FALSE(ec) << ec.message();
    flushed = true;
  });
  RunFor(std::chrono::milliseconds(300));
  EXPECT_FALSE(flushed);  // the client reads nothing yet
  std::string received;
  bool read = false;
  ReadAll(data.size(), received, read);
  ASSERT_TRUE(RunUntil([&] { return flushed && read; }));
  EXPECT_EQ(received, data);
}

TEST_F(TlsStreamTest, WriteBehindSendsOnItsOwnOnceTheWriterPauses) {
  // A frame header and its payload as two buffers (as Beast writes them), then a second message
  // of many small pieces: all arrive in order without any flush.
  server_->set_write_behind(1 << 20);
  const std::string header("\x82\x7f\x00\x00\x00\x00\x00\x04\x93\xe0", 10);
  const std::string payload = Pattern(300000);
  std::array<asio::const_buffer, 2> message{asio::buffer(header), asio::buffer(payload)};
  std::string small = Pattern(5000, 'A');
  std::vector<asio::const_buffer> pieces;
  for (size_t at = 0; at < small.size(); at += 100) pieces.push_back(asio::buffer(&small[at], 100));
  int written = 0;
  auto count = [&](error_code ec, size_t) {
    EXPECT_FALSE(ec) << ec.message();
    ++written;
  };
  asio::async_write(*server_, message, [&](error_code ec, size_t n) {
    count(ec, n);
    asio::async_write(*server_, pieces, count);  // one write at a time, as Beast does
  });
  ASSERT_TRUE(RunUntil([&] { return written == 2; }));
  std::string received;
  bool read = false;
  ReadAll(header.size() + payload.size() + small.size(), received, read);
  ASSERT_TRUE(RunUntil([&] { return read; }));
  EXPECT_EQ(received, header + payload + small);
}

}  // namespace
}  // namespace mm::kubeapi
