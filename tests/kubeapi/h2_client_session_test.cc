// H2ClientSession against an HTTP/2 server we did not write: h2c_server.py (Debian's python3-h2)
// over a loopback TCP connection, the session's bytes carried by a small non-blocking pump.
#include "kubeapi/h2_client_session.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "tests/kubeapi/temp_dir.h"
#include "tests/kubeapi/tls_server.h"

namespace mm::kubeapi {
namespace {

using testing::ServerProcess;
using testing::TempDir;

// Byte i of the server's /bytes and /stream bodies.
std::string Pattern(size_t start, size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((start + i) % 251);
  return out;
}

// One TCP connection to the server, driving a session: writes its output, feeds it what arrives.
class Connection {
 public:
  Connection(int port, H2SessionOptions options) {
    auto session = H2ClientSession::Create(options);
    EXPECT_TRUE(session.ok());
    if (session.ok()) session_ = std::move(*session);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~Connection() { ::close(fd_); }

  H2ClientSession& session() { return *session_; }
  int32_t Submit(const HttpRequest& request, const std::string& path) {
    Result<int32_t> id = session_->Submit(request, "127.0.0.1:" + std::to_string(port_), path);
    EXPECT_TRUE(id.ok()) << id.error().message();
    return id.ok() ? *id : -1;
  }

  // Moves bytes both ways until `done` holds or the connection ends; false after a generous
  // deadline (a stall, never a matter of speed). Receive's errors are kept in receive_error.
  bool PumpUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    std::vector<char> buffer(256 * 1024);
    while (std::chrono::steady_clock::now() < deadline) {
      session_->TakeOutput(out_);
      if (done()) return true;
      pollfd p{fd_, static_cast<short>(POLLIN | (out_.empty() ? 0 : POLLOUT)), 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      if ((p.revents & POLLOUT) != 0) {
        ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
        if (n > 0) out_.erase(0, static_cast<size_t>(n));
      }
      if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (n <= 0) {
          session_->FailAll(NetworkFailure::kConnectionLost, "connection closed");
          return done();
        }
        Result<void> received = session_->Receive(std::string_view(buffer.data(), n));
        if (!received.ok()) receive_error = received.error().message();
      }
    }
    return false;
  }

  HttpResponse Await(int32_t stream) {
    EXPECT_TRUE(PumpUntil([&] { return session_->Finished(stream); })) << "stream " << stream;
    return session_->TakeResponse(stream);
  }
  HttpResponse Get(const std::string& path, std::function<bool(std::string_view)> on_body = {}) {
    HttpRequest request{.on_body = std::move(on_body)};
    return Await(Submit(request, path));
  }
  // A GET whose gzip answer the session decodes (the caller offered gzip).
  HttpResponse GetDecoding(const std::string& path,
                           std::function<bool(std::string_view)> on_body = {}) {
    HttpRequest request{.on_body = std::move(on_body)};
    Result<int32_t> id =
        session_->Submit(request, "127.0.0.1:" + std::to_string(port_), path, true);
    EXPECT_TRUE(id.ok()) << id.error().message();
    return Await(id.ok() ? *id : -1);
  }

  int port_ = 0;
  std::string receive_error;

 private:
  std::unique_ptr<H2ClientSession> session_;
  int fd_ = -1;
  std::string out_;
};

// An on_body consumer that checks the bytes are the pattern, in order, and stops after `wanted`.
struct PatternConsumer {
  size_t wanted = 0;
  size_t received = 0;
  bool in_order = true;
  std::function<bool(std::string_view)> Callback() {
    return [this](std::string_view chunk) {
      in_order = in_order && chunk == Pattern(received, chunk.size());
      received += chunk.size();
      return received < wanted;
    };
  }
  // Checks that `response` (to the request this consumed) ended successfully once the consumer
  // had enough, every byte streamed in order and none collected.
  void ExpectStoppedWhenSatisfied(const HttpResponse& response) const {
    EXPECT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "") << "a streamed body is not collected";
    EXPECT_GE(received, wanted);
    EXPECT_TRUE(in_order) << "the consumer got bytes out of order (or not decoded)";
  }
};

class H2ClientSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GT(server_.port(), 0) << "h2c_server.py did not start"; }

  std::unique_ptr<Connection> Connect(H2SessionOptions options = {}) {
    auto connection = std::make_unique<Connection>(server_.port(), options);
    connection->port_ = server_.port();
    return connection;
  }

  TempDir dir_;
  ServerProcess server_{{"/usr/bin/python3", MM_TESTS_KUBEAPI_DIR "/h2c_server.py"},
                        dir_.Path("h2c.log"),
                        "listening on "};
};

TEST_F(H2ClientSessionTest, SendsRfc9113HeadersAndReadsLowerCaseOnes) {
  auto connection = Connect();
  HttpRequest request{.headers = {{"Accept", "application/json"},
                                  {"User-Agent", "kubeapi-test"},
                                  {"Connection", "keep-alive"},
                                  {"Keep-Alive", "timeout=5"},
                                  {"Proxy-Connection", "keep-alive"},
                                  {"Transfer-Encoding", "chunked"},
                                  {"Upgrade", "websocket"},
                                  {"Host", "somewhere.else"},
                                  {"TE", "gzip"},
                                  {"Authorization", "Bearer not-printed"},
                                  {"X-Custom-Header", "Mixed Value"}}};
  HttpResponse response = connection->Await(connection->Submit(request, "/headers?watch=1"));
  ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.http2);
  EXPECT_EQ(response.body, ":method: GET\n:scheme: https\n:authority: 127.0.0.1:" +
                               std::to_string(connection->port_) +
                               "\n:path: /headers?watch=1\naccept: application/json\n"
                               "user-agent: kubeapi-test\nauthorization: Bearer not-printed\n"
                               "x-custom-header: Mixed Value\n");
  EXPECT_EQ(response.Header("x-mixed-case"), "yes");
  for (const auto& [name, value] : response.headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  }
}

TEST_F(H2ClientSessionTest, RefusesHeadersHttp2CannotCarryWithoutQuotingValues) {
  auto connection = Connect();
  HttpRequest bad_value{.headers = {{"Authorization", "Bearer secret-token\r\nx: y"}}};
  Result<int32_t> id = connection->session().Submit(bad_value, "127.0.0.1:1", "/");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().message(),
            "header Authorization has a value HTTP/2 cannot carry (CR, LF or NUL)");
  HttpRequest bad_name{.headers = {{"Bad Name", "x"}}};
  ASSERT_FALSE(connection->session().Submit(bad_name, "127.0.0.1:1", "/").ok());
  EXPECT_TRUE(connection->session().Reusable());
  EXPECT_EQ(connection->Get("/bytes?n=10").body, Pattern(0, 10));
}

TEST_F(H2ClientSessionTest, BigBodiesFlowBothWaysThroughSmallWindows) {
  // 64 KiB windows on our side too: the 3 MiB answer arrives only if we send WINDOW_UPDATEs; the
  // 3 MiB upload completes only within the server's windows (h2 kills a connection that overruns).
  auto connection = Connect({.stream_window = 65535, .connection_window = 65535});
  HttpRequest upload{.method = "PUT", .body = Pattern(7, 3 << 20)};
  HttpResponse echoed = connection->Await(connection->Submit(upload, "/echo"));
  ASSERT_EQ(echoed.failure, NetworkFailure::kNone) << echoed.failure_message;
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(echoed.Header("x-received-length"), std::to_string(3 << 20));
  EXPECT_TRUE(echoed.body == upload.body) << "echoed body differs";
  HttpResponse download = connection->Get("/bytes?n=5000000");
  EXPECT_EQ(download.status, 200);
  EXPECT_TRUE(download.body == Pattern(0, 5000000)) << download.body.size() << " bytes";
  EXPECT_TRUE(connection->session().Reusable());
}

TEST_F(H2ClientSessionTest, GrantsLargeWindowsAndRefusesPush) {
  auto connection = Connect();
  HttpResponse settings = connection->Get("/settings");
  EXPECT_EQ(settings.body, "initial_window_size: 16777216\nenable_push: 0\nconnection_window: " +
                               std::to_string(1 << 30) + "\n");
}

TEST_F(H2ClientSessionTest, LongStreamStopsWhenTheConsumerHasEnough) {
  auto connection = Connect();
  // Past the 16 MiB stream window: the stream keeps flowing only through WINDOW_UPDATEs.
  PatternConsumer consumer{.wanted = 24u << 20};
  consumer.ExpectStoppedWhenSatisfied(connection->Get("/stream", consumer.Callback()));
  // The server saw our RST_STREAM(CANCEL) for stream 1, and the connection goes on.
  EXPECT_EQ(connection->Get("/resets").body, "1 8\n");
  EXPECT_TRUE(connection->session().Reusable());
}

// A gzip stream (a watch or a log through a compressing front) is decoded as its DATA frames
// arrive: the consumer sees the plain pattern long before any end (there is none).
TEST_F(H2ClientSessionTest, GzipStreamIsDecodedAsItArrives) {
  auto connection = Connect();
  PatternConsumer consumer{.wanted = 4u << 20};
  consumer.ExpectStoppedWhenSatisfied(connection->GetDecoding("/gzip-stream", consumer.Callback()));
  EXPECT_TRUE(connection->session().Reusable());
}

// A collected gzip body is decoded into the response as it arrives, only when the caller offered
// gzip; a body cut short inside the gzip data fails its stream, not the connection.
TEST_F(H2ClientSessionTest, CollectedGzipBodiesAreDecodedAndTruncatedOnesFail) {
  auto connection = Connect();
  HttpResponse decoded = connection->GetDecoding("/gzip?n=3000000");
  ASSERT_EQ(decoded.failure, NetworkFailure::kNone) << decoded.failure_message;
  EXPECT_TRUE(decoded.body == Pattern(0, 3000000)) << decoded.body.size() << " bytes";
  HttpResponse raw = connection->Get("/gzip?n=1000");
  EXPECT_EQ(raw.Header("content-encoding"), "gzip");
  EXPECT_EQ(raw.body.size(), std::stoul(raw.Header("content-length")));
  HttpResponse cut = connection->GetDecoding("/gzip-cut");
  EXPECT_EQ(cut.failure, NetworkFailure::kOther);
  EXPECT_EQ(cut.failure_message.rfind(
                "Unable to connect to the server: gzip: the response body ended inside", 0),
            0u)
      << cut.failure_message;
  EXPECT_EQ(connection->Get("/bytes?n=10").body, Pattern(0, 10));
}

TEST_F(H2ClientSessionTest, CancelResetsTheStreamAndForgetsIt) {
  auto connection = Connect();
  size_t chunks = 0;
  HttpRequest request{.on_body = [&](std::string_view) { return ++chunks > 0; }};
  int32_t id = connection->Submit(request, "/stream");
  ASSERT_TRUE(connection->PumpUntil([&] { return chunks > 0; }));
  connection->session().Cancel(id);
  EXPECT_EQ(connection->session().open_streams(), 0u);
  EXPECT_EQ(connection->Get("/resets").body, std::to_string(id) + " 8\n");
  EXPECT_EQ(connection->session().TakeResponse(id).failure, NetworkFailure::kOther);
}

TEST_F(H2ClientSessionTest, ErrorBodiesAreCollectedEvenWhenStreaming) {
  auto connection = Connect();
  bool called = false;
  HttpResponse response = connection->Get("/status/404", [&](std::string_view) {
    called = true;
    return true;
  });
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, R"({"kind":"Status","code":404})");
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_FALSE(called);
}

TEST_F(H2ClientSessionTest, GoawayFailsTheStreamsAboveLastStreamIdAndFinishesTheOthers) {
  auto connection = Connect();
  HttpRequest hold_a, hold_b, goaway;
  int32_t a = connection->Submit(hold_a, "/hold");
  int32_t b = connection->Submit(hold_b, "/hold");
  int32_t c = connection->Submit(goaway, "/goaway");
  ASSERT_EQ(std::vector<int32_t>({a, b, c}), std::vector<int32_t>({1, 3, 5}));
  ASSERT_TRUE(connection->PumpUntil(
      [&] { return connection->session().Finished(a) && connection->session().Finished(c); }));
  EXPECT_FALSE(connection->session().Refused(a));
  EXPECT_TRUE(connection->session().Refused(b));  // never processed: safe to send again
  EXPECT_TRUE(connection->session().Refused(c));
  HttpResponse first = connection->Await(a);  // mid-stream when GOAWAY came: it completes
  ASSERT_EQ(first.failure, NetworkFailure::kNone) << first.failure_message;
  EXPECT_EQ(first.body, "first half|second half");
  const std::string goaway_text =
      "Unable to connect to the server: http2: server sent GOAWAY and closed the connection; "
      "LastStreamID=1, ErrCode=NO_ERROR, debug=\"bye\"";
  for (int32_t refused : {b, c}) {
    HttpResponse response = connection->Await(refused);
    EXPECT_EQ(response.failure, NetworkFailure::kConnectionLost) << refused;
    EXPECT_EQ(response.status, 0);
    EXPECT_EQ(response.failure_message, goaway_text);
  }
  EXPECT_FALSE(connection->session().Reusable());
  HttpRequest late;
  Result<int32_t> refused = connection->session().Submit(late, "127.0.0.1:1", "/bytes?n=1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("takes no new requests"), std::string::npos);
}

TEST_F(H2ClientSessionTest, RstStreamIsAFailureAndTheConnectionGoesOn) {
  auto connection = Connect();
  HttpRequest request;
  int32_t id = connection->Submit(request, "/rst");
  ASSERT_TRUE(connection->PumpUntil([&] { return connection->session().Finished(id); }));
  EXPECT_FALSE(connection->session().Refused(id)) << "INTERNAL_ERROR: maybe processed";
  HttpResponse reset = connection->session().TakeResponse(id);
  EXPECT_EQ(reset.failure, NetworkFailure::kConnectionLost);
  EXPECT_EQ(reset.status, 0);
  EXPECT_EQ(reset.body, "");
  EXPECT_EQ(reset.failure_message,
            "Unable to connect to the server: stream error: stream ID 1; INTERNAL_ERROR; "
            "received from peer");
  EXPECT_TRUE(connection->session().Reusable());
  EXPECT_EQ(connection->Get("/bytes?n=3").body, Pattern(0, 3));

  int32_t refused = connection->Submit(request, "/refuse");
  ASSERT_TRUE(connection->PumpUntil([&] { return connection->session().Finished(refused); }));
  EXPECT_TRUE(connection->session().Refused(refused));
  HttpResponse response = connection->session().TakeResponse(refused);
  EXPECT_EQ(response.failure, NetworkFailure::kConnectionLost);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: stream error: stream ID " +
                                          std::to_string(refused) +
                                          "; REFUSED_STREAM; received from peer");
  EXPECT_FALSE(connection->session().Refused(refused)) << "forgotten once taken";
}

TEST_F(H2ClientSessionTest, AnswersPingAndSettings) {
  auto connection = Connect();
  HttpResponse response = connection->Get("/ping");  // answered only after both ACKs arrived
  ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
  EXPECT_EQ(response.body, "acked");
}

TEST_F(H2ClientSessionTest, ManyRequestsOneAfterAnotherAndAtOnce) {
  auto connection = Connect();
  for (int i = 0; i < 300; ++i) {
    HttpRequest request;
    int32_t id = connection->Submit(request, "/bytes?n=" + std::to_string(100 + i));
    ASSERT_EQ(id, 1 + 2 * i);
    HttpResponse response = connection->Await(id);
    ASSERT_EQ(response.status, 200) << response.failure_message;
    ASSERT_EQ(response.body, Pattern(0, 100 + i));
  }
  std::vector<HttpRequest> requests(40);
  std::vector<int32_t> ids;
  for (size_t i = 0; i < requests.size(); ++i) {
    requests[i].method = "POST";
    requests[i].body = Pattern(i, 70000 + i);
    ids.push_back(connection->Submit(requests[i], "/echo"));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    HttpResponse response = connection->Await(ids[i]);
    ASSERT_EQ(response.status, 200) << response.failure_message;
    EXPECT_TRUE(response.body == requests[i].body) << "request " << i;
  }
  EXPECT_EQ(connection->session().open_streams(), 0u);
  EXPECT_TRUE(connection->session().Reusable());
}

TEST_F(H2ClientSessionTest, AServerThatIsNotHttp2FailsEveryStream) {
  auto connection = Connect();
  HttpRequest hold, garbage;
  int32_t held = connection->Submit(hold, "/hold");
  int32_t id = connection->Submit(garbage, "/garbage");
  HttpResponse response = connection->Await(id);
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_TRUE(response.failure_message.starts_with(
      "Unable to connect to the server: http2: the server broke the protocol"))
      << response.failure_message;
  EXPECT_EQ(connection->session().TakeResponse(held).failure, NetworkFailure::kOther);
  EXPECT_FALSE(connection->receive_error.empty());
  EXPECT_FALSE(connection->session().Reusable());
}

TEST_F(H2ClientSessionTest, ALostConnectionFailsOpenStreams) {
  auto connection = Connect();
  HttpRequest hold;
  int32_t id = connection->Submit(hold, "/hold");
  ASSERT_TRUE(connection->PumpUntil([&] { return connection->session().open_streams() == 1; }));
  const std::string lost = "Unable to connect to the server: read: connection reset by peer";
  connection->session().FailAll(NetworkFailure::kConnectionLost, lost);
  ASSERT_TRUE(connection->session().Finished(id));
  HttpResponse response = connection->session().TakeResponse(id);
  EXPECT_EQ(response.failure, NetworkFailure::kConnectionLost);
  EXPECT_EQ(response.failure_message, lost);
  EXPECT_FALSE(connection->session().Reusable());
  HttpRequest late;
  Result<int32_t> refused = connection->session().Submit(late, "127.0.0.1:1", "/");
  ASSERT_FALSE(refused.ok());
  // The bare cause: DescribeTransferFailure adds kubectl's prefix, once.
  EXPECT_EQ(refused.error().message(),
            "http2: the connection takes no new requests (read: connection reset by peer)");
}

}  // namespace
}  // namespace mm::kubeapi
