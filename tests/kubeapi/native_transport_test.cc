#include "kubeapi/native_transport.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "kubeapi/cancellation.h"
#include "tests/kubeapi/loopback_servers.h"

namespace mm::kubeapi {
namespace {

using testing::ListenOnLoopback;
using testing::ScopedEnv;
using testing::ScriptedServer;
using testing::SilentListener;

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

TEST(NativeTransportTest, BodyWithContentLengthIsReceivedIntoOneAllocation) {
  std::string body = "[" + std::string(1'000'000, ' ') + "]";  // 1,000,002 bytes, not a power of 2
  OneResponseServer server(body);
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  HttpResponse response = transport.RoundTrip(
      {.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/pods"});
  ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, body);
  // Reserved from Content-Length: a string grown chunk by chunk would end with spare capacity.
  EXPECT_EQ(response.body.capacity(), body.size());
}

// Answers the first connection's first request with `reply`.
class OneShotServer : public ScriptedServer {
 public:
  explicit OneShotServer(std::string reply) : ScriptedServer({{std::move(reply)}}) {}
};

TEST(NativeTransportTest, RefusedConnectionReadsLikeKubectl) {
  SilentListener listener;
  int port = listener.port();
  listener.Close();  // nothing listens there any more
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  HttpResponse response =
      transport.RoundTrip({.url = "https://127.0.0.1:" + std::to_string(port) + "/version"});
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(response.failure_message,
            "The connection to the server 127.0.0.1:" + std::to_string(port) +
                " was refused - did you specify the right host or port?");
}

// A proxy-url that nothing listens on is named in the error (kubectl would blame the server).
TEST(NativeTransportTest, RefusedProxyIsNamed) {
  SilentListener listener;
  std::string proxy = "127.0.0.1:" + std::to_string(listener.port());
  listener.Close();
  NativeTransport transport(
      NetworkOptions{.proxy_url = "http://u:secret@" + proxy, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "https://10.0.0.1:6443/version"});
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(response.failure_message,
            "Unable to connect to the server: proxyconnect tcp: dial tcp " + proxy +
                ": connect: connection refused");
}

// A proxy that answers CONNECT with 407 refused the tunnel: named, and not worth a retry.
TEST(NativeTransportTest, TunnelRefusedByTheProxyIsNamed) {
  OneShotServer proxy("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
  std::string address = "127.0.0.1:" + std::to_string(proxy.port());
  NativeTransport transport(NetworkOptions{.proxy_url = "http://" + address, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "https://10.0.0.1:6443/version"});
  proxy.Join();
  EXPECT_EQ(proxy.request().rfind("CONNECT 10.0.0.1:6443 HTTP/1.1\r\n", 0), 0u) << proxy.request();
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: proxy " + address +
                                          " refused the tunnel (CONNECT answered 407)");
}

// An https:// proxy carries only https:// servers (an http:// one would need forwarding inside the
// proxy's TLS); the refusal is immediate, with nothing dialled.
TEST(NativeTransportTest, HttpServerThroughAnHttpsProxyIsRefused) {
  SilentListener proxy;
  const std::string address = "127.0.0.1:" + std::to_string(proxy.port());
  NativeTransport transport(
      NetworkOptions{.proxy_url = "https://" + address, .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "http://10.0.0.1:8080/version"});
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: proxy-url https://" +
                                          address +
                                          ": an http:// server cannot be reached through an "
                                          "https:// proxy");
}

// gzip of {"kind":"Status","gz":true}.
const std::string kGzipped(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\xca\xce\xcc\x4b\x51\xb2\x52\x0a\x2e\x49"
    "\x2c\x29\x2d\x56\xd2\x51\x4a\xaf\x52\xb2\x2a\x29\x2a\x4d\xad\x05\x00\xf5\x26\xcf\x29\x1b"
    "\x00\x00\x00",
    47);

// gzip is offered and a gzip body arrives decoded; disable-compression offers nothing.
TEST(NativeTransportTest, GzipIsAcceptedUnlessCompressionIsDisabled) {
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
      "Content-Length: 47\r\nConnection: close\r\n\r\n" +
      kGzipped);
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  HttpResponse response =
      transport.RoundTrip({.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/x"});
  server.Join();
  EXPECT_NE(server.request().find("\r\nAccept-Encoding: gzip\r\n"), std::string::npos)
      << server.request();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"kind":"Status","gz":true})");

  OneShotServer plain("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  NativeTransport uncompressed(NetworkOptions{.disable_compression = true, .user_agent = "test"});
  response =
      uncompressed.RoundTrip({.url = "http://127.0.0.1:" + std::to_string(plain.port()) + "/x"});
  plain.Join();
  EXPECT_EQ(plain.request().find("Accept-Encoding"), std::string::npos) << plain.request();
  EXPECT_EQ(response.body, "{}");
}

TEST(NativeTransportTest, RequestTimeoutExpires) {
  SilentListener listener;
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
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

TEST(NativeTransportTest, CancellationAbortsAnInFlightRequestPromptly) {
  SilentListener listener;
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
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
  EXPECT_LT(elapsed, std::chrono::seconds(10));  // the token is polled every 50 ms: far less
}

std::string Ok(const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra +
         "\r\n" + body;
}

// Keep-alive answers, Content-Length and chunked, come back over one connection.
TEST(NativeTransportTest, SequentialRequestsReuseOneKeepAliveConnection) {
  ScriptedServer server({{Ok("one"),
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "3\r\ntwo\r\n6\r\n-parts\r\n0\r\n\r\n",
                          Ok("three")}});
  NativeTransport transport(NetworkOptions{.user_agent = "test-agent"});
  std::vector<std::string> bodies;
  std::vector<int> connections;
  for (const char* path : {"/a", "/b", "/c"}) {
    HttpResponse response = transport.RoundTrip({.url = server.url(path)});
    ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
    EXPECT_FALSE(response.http2);
    bodies.push_back(response.body);
    connections.push_back(response.new_connections);
  }
  server.Join();
  EXPECT_EQ(bodies, (std::vector<std::string>{"one", "two-parts", "three"}));
  EXPECT_EQ(connections, (std::vector<int>{1, 0, 0}));
  ASSERT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests()[1].rfind("GET /b HTTP/1.1\r\nHost: 127.0.0.1:", 0), 0u);
  EXPECT_NE(server.requests()[1].find("\r\nUser-Agent: test-agent\r\n"), std::string::npos);
  EXPECT_NE(server.requests()[1].find("\r\nAccept: application/json\r\n"), std::string::npos);
}

// The server closed the idle connection after its first answer: the next request sees that
// before sending and goes on a fresh connection, whatever its method.
TEST(NativeTransportTest, IdleConnectionTheServerClosedIsNotReused) {
  ScriptedServer server({{Ok("first")}, {Ok("second")}});
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  HttpResponse first = transport.RoundTrip({.url = server.url("/1")});
  ASSERT_EQ(first.body, "first") << first.failure_message;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the close reaches the client
  HttpResponse second = transport.RoundTrip({.method = "POST", .url = server.url("/2")});
  server.Join();
  ASSERT_EQ(second.failure, NetworkFailure::kNone) << second.failure_message;
  EXPECT_EQ(second.body, "second");
  EXPECT_EQ(second.new_connections, 1);
}

// The server closed a reused connection without answering: an idempotent request goes again on a
// fresh connection, a POST does not (the server may have acted on it).
TEST(NativeTransportTest, OnlyIdempotentRequestsAreResentAfterAReusedConnectionDied) {
  ScriptedServer server({{Ok("first"), ""}, {Ok("again"), ""}});
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  ASSERT_EQ(transport.RoundTrip({.url = server.url("/1")}).body, "first");
  HttpResponse get = transport.RoundTrip({.url = server.url("/2")});
  ASSERT_EQ(get.failure, NetworkFailure::kNone) << get.failure_message;
  EXPECT_EQ(get.body, "again");
  EXPECT_EQ(get.new_connections, 1);
  HttpResponse post = transport.RoundTrip({.method = "POST", .url = server.url("/3")});
  server.Join();
  EXPECT_EQ(post.failure, NetworkFailure::kConnectionLost);
  EXPECT_EQ(post.failure_message, "Unable to connect to the server: EOF");
  EXPECT_EQ(server.requests().size(), 4u);  // /1, /2 twice, /3 once
}

// A cut after part of the body reads as Go's "unexpected EOF", for the retry policy a lost
// connection.
TEST(NativeTransportTest, BodyCutShortIsALostConnection) {
  ScriptedServer server({{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":"}});
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = server.url("/")});
  EXPECT_EQ(response.failure, NetworkFailure::kConnectionLost);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: unexpected EOF");
}

// on_body gets a 2xx body as it arrives (gzip decoded) and may stop it; the stopped connection is
// not reused. An error body is collected whatever on_body says.
TEST(NativeTransportTest, OnBodyStreamsDecodedChunksAndMayStopEarly) {
  ScriptedServer server(
      {{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" +
            std::string("14\r\n") + kGzipped.substr(0, 20) + "\r\n1b\r\n" + kGzipped.substr(20) +
            "\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "6\r\nline1\n\r\n6\r\nline2\n\r\n0\r\n\r\n",
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"},  // if reused
       {"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"}});
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  std::string streamed;
  auto collect = [&](std::string_view chunk) {
    streamed.append(chunk);
    return true;
  };
  HttpResponse decoded = transport.RoundTrip({.url = server.url("/watch"), .on_body = collect});
  ASSERT_EQ(decoded.failure, NetworkFailure::kNone) << decoded.failure_message;
  EXPECT_EQ(streamed, R"({"kind":"Status","gz":true})");
  EXPECT_EQ(decoded.body, "");

  std::vector<std::string> chunks;
  HttpResponse stopped =
      transport.RoundTrip({.url = server.url("/logs"), .on_body = [&](std::string_view chunk) {
                             chunks.emplace_back(chunk);
                             return false;
                           }});
  ASSERT_EQ(stopped.failure, NetworkFailure::kNone) << stopped.failure_message;
  EXPECT_EQ(stopped.status, 200);
  EXPECT_EQ(chunks, (std::vector<std::string>{"line1\n"}));

  HttpResponse missing = transport.RoundTrip({.url = server.url("/gone"), .on_body = collect});
  server.Join();
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "not found");
  EXPECT_EQ(missing.new_connections, 1);  // the stopped stream's connection was not kept
}

// Without a proxy-url, HTTPS_PROXY carries https:// requests through a CONNECT tunnel (named when
// it refuses), while loopback servers are reached directly.
TEST(NativeTransportTest, HttpsProxyFromTheEnvironmentExceptForLoopback) {
  ScriptedServer proxy({{"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"}});
  std::string address = "127.0.0.1:" + std::to_string(proxy.port());
  ScriptedServer direct({{Ok("direct")}});
  std::unique_ptr<NativeTransport> transport;
  {
    ScopedEnv https_proxy("HTTPS_PROXY", "http://" + address);
    ScopedEnv http_proxy("HTTP_PROXY", "http://" + address);
    transport = std::make_unique<NativeTransport>(NetworkOptions{.user_agent = "test"});
  }
  HttpResponse tunnelled = transport->RoundTrip({.url = "https://10.0.0.1:6443/version"});
  proxy.Join();
  EXPECT_EQ(proxy.request().rfind("CONNECT 10.0.0.1:6443 HTTP/1.1\r\n", 0), 0u) << proxy.request();
  EXPECT_EQ(tunnelled.failure_message, "Unable to connect to the server: proxy " + address +
                                           " refused the tunnel (CONNECT answered 403)");
  HttpResponse loopback = transport->RoundTrip({.url = direct.url("/version")});
  direct.Join();
  EXPECT_EQ(loopback.body, "direct") << loopback.failure_message;
}

// An http:// server behind a proxy is reached by forwarding: the request names the absolute URL
// and carries the proxy's credentials.
TEST(NativeTransportTest, PlainHttpGoesThroughAForwardingProxy) {
  ScriptedServer proxy({{Ok("forwarded")}});
  NativeTransport transport(
      NetworkOptions{.proxy_url = "http://mm:s3cret@127.0.0.1:" + std::to_string(proxy.port()),
                     .user_agent = "test"});
  HttpResponse response = transport.RoundTrip({.url = "http://example.invalid:8080/x?y=1"});
  proxy.Join();
  EXPECT_EQ(response.body, "forwarded") << response.failure_message;
  EXPECT_EQ(proxy.request().rfind("GET http://example.invalid:8080/x?y=1 HTTP/1.1\r\n"
                                  "Host: example.invalid:8080\r\n",
                                  0),
            0u)
      << proxy.request();
  EXPECT_NE(proxy.request().find("\r\nProxy-Authorization: Basic bW06czNjcmV0\r\n"),
            std::string::npos);
}

// A header that would break the request's framing is refused before anything is sent.
TEST(NativeTransportTest, HeaderWithLineBreakIsRefused) {
  SilentListener listener;
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  HttpRequest request{.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/"};
  request.headers.emplace_back("X-Test", "a\r\nInjected: yes");
  HttpResponse response = transport.RoundTrip(request);
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message,
            "Unable to connect to the server: net/http: invalid header field in the request");
}

// Answers without a body keep their status and headers: 204, Content-Length 0 (an empty log
// stream), a HEAD, and a final answer after an interim 100 Continue.
TEST(NativeTransportTest, AnswersWithoutABodyKeepTheirStatusAndHeaders) {
  ScriptedServer server({{"HTTP/1.1 204 No Content\r\nX-Kind: none\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Kind: empty\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: 512\r\nX-Kind: head\r\n\r\n",
                          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: "
                          "2\r\nX-Kind: final\r\n\r\n{}"}});
  NativeTransport transport(NetworkOptions{.user_agent = "test"});
  std::vector<std::string> seen;
  auto ignore = [](std::string_view) { return true; };
  for (HttpRequest request : {HttpRequest{.method = "DELETE", .url = server.url("/a")},
                              HttpRequest{.url = server.url("/log"), .on_body = ignore},
                              HttpRequest{.method = "HEAD", .url = server.url("/h")},
                              HttpRequest{.method = "POST", .url = server.url("/p")}}) {
    HttpResponse response = transport.RoundTrip(request);
    ASSERT_EQ(response.failure, NetworkFailure::kNone) << response.failure_message;
    seen.push_back(std::to_string(response.status) + " " + response.Header("x-kind") + " " +
                   response.body + " " + std::to_string(response.new_connections));
  }
  server.Join();
  EXPECT_EQ(seen, (std::vector<std::string>{"204 none  1", "200 empty  0", "200 head  0",
                                            "201 final {} 0"}));
}

}  // namespace
}  // namespace mm::kubeapi
