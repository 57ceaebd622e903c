#include "tests/sandbox/https_server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <set>
#include <sstream>

#include "tests/sandbox/status.h"
#include "tests/sandbox/websocket_server.h"

namespace sandbox {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);

// Timers on the io_context: each task gets its own steady_timer, dropped if the loop stops first.
class IoTimers : public Timers {
 public:
  explicit IoTimers(net::io_context& ioc) : ioc_(ioc) {}
  void After(std::chrono::milliseconds delay, std::function<void()> task) override {
    auto timer = std::make_shared<net::steady_timer>(ioc_, delay);
    timer->async_wait([timer, task = std::move(task)](const beast::error_code& error) {
      if (!error) task();
    });
  }

 private:
  net::io_context& ioc_;
};

// Injected faults (faults.h): a pause on the connection's executor, and a TCP reset (SO_LINGER 0)
// as a crashed peer or a middlebox would send.
net::awaitable<void> Pause(std::chrono::milliseconds delay) {
  net::steady_timer timer(co_await net::this_coro::executor, delay);
  co_await timer.async_wait(kTuple);
}

void ResetConnection(tcp::socket& socket) {
  beast::error_code ignored;
  socket.set_option(net::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

}  // namespace

struct HttpsServer::Impl {
  Impl(ApiServer& a, TlsMaterial t, ListenOptions o)
      : api(a),
        tls(std::move(t)),
        options(std::move(o)),
        ssl_ctx(ssl::context::tls_server),
        acceptor(ioc) {}

  struct Session;
  net::awaitable<void> Accept();
  void Stop();

  ApiServer& api;
  TlsMaterial tls;
  ListenOptions options;
  // Declared before the io_context, so they outlive it: destroying the io_context destroys the
  // coroutines of connections still open at exit, and their Sessions use both.
  ssl::context ssl_ctx;
  std::set<Session*> sessions;
  bool stopping = false;
  net::io_context ioc{1};
  IoTimers timers{ioc};
  tcp::acceptor acceptor;
};

struct HttpsServer::Impl::Session : std::enable_shared_from_this<Session>, StreamSink {
  Session(Impl& i, tcp::socket socket)
      : impl(i),
        stream(std::move(socket), i.ssl_ctx.native_handle(), false),
        wake(stream.get_executor()),
        deadline(stream.get_executor()) {
    impl.sessions.insert(this);
  }
  ~Session() override { impl.sessions.erase(this); }

  void Write(std::string data) override {
    queue.push_back(std::move(data));
    wake.cancel();
  }
  void End() override {
    ended = true;
    wake.cancel();
  }
  void Abort() override {
    aborted = true;
    wake.cancel();
  }
  // Called at shutdown: idle connections close, streams end with their terminating chunk.
  void Interrupt() {
    if (streaming) {
      wake.cancel();
    } else {
      beast::error_code ignored;
      stream.next_layer().cancel(ignored);
    }
  }

  void Log(const std::string& method, const std::string& target, const Response& response,
           std::chrono::steady_clock::time_point start) const {
    if (!impl.options.log_requests) return;
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%s %s user=%s code=%d latency=%.3fms\n", method.c_str(), target.c_str(),
                 response.user.c_str(), response.code, ms);
  }

  net::awaitable<void> Run();
  net::awaitable<void> Serve(http::request<http::string_body>& req);
  net::awaitable<void> StreamResponse(Response& response, const std::string& method,
                                      const std::string& target,
                                      std::chrono::steady_clock::time_point start);
  net::awaitable<void> WatchForClose();
  net::awaitable<void> Watchdog();
  // What beast::tcp_stream's expires_after did: the connection is closed unless the operations
  // started next finish within `after` (Expire(kNever) turns that off).
  void Expire(std::chrono::steady_clock::duration after) {
    if (after == kNever) {
      deadline.expires_at(std::chrono::steady_clock::time_point::max());
    } else {
      deadline.expires_after(after);
    }
  }
  static constexpr std::chrono::steady_clock::duration kNever =
      std::chrono::steady_clock::duration::max();
  void Finish() {
    finished = true;
    deadline.cancel();
  }

  Impl& impl;
  TlsStream stream;
  beast::flat_buffer buffer;
  net::steady_timer wake;
  net::steady_timer deadline;  // see Expire
  bool finished = false;       // Run returned: the watchdog ends
  std::deque<std::string> queue;
  bool ended = false;
  bool aborted = false;
  bool closed = false;
  bool streaming = false;
  std::string cert_user;
  std::vector<std::string> cert_groups;
};

net::awaitable<void> HttpsServer::Impl::Session::Run() {
  auto self = shared_from_this();
  if (auto delay = impl.api.faults().HandshakeDelay(); delay.count() > 0) co_await Pause(delay);
  Expire(30s);
  net::co_spawn(stream.get_executor(), Watchdog(), net::detached);
  auto [handshake_error] = co_await stream.async_handshake(kTuple);
  if (handshake_error) {
    Finish();
    co_return;
  }
  PeerIdentity peer = VerifiedPeer(stream.native_handle());
  cert_user = std::move(peer.user);
  cert_groups = std::move(peer.groups);
  while (!impl.stopping) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(impl.options.body_limit);
    parser.header_limit(64 * 1024);
    Expire(300s);
    auto [read_error, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (read_error == http::error::body_limit) {
      http::response<http::string_body> res{http::status::payload_too_large, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = StatusJson(TooLarge(impl.options.body_limit));
      res.keep_alive(false);
      res.prepare_payload();
      co_await http::async_write(stream, res, kTuple);
      // Drain what the client is still sending (bounded) so it can read the 413 instead of
      // failing on a reset connection.
      uint64_t left = std::min<uint64_t>(parser.content_length().value_or(0), 64u << 20);
      char scratch[16384];
      Expire(10s);
      while (left > 0) {
        auto [drain_error, got] = co_await stream.async_read_some(net::buffer(scratch), kTuple);
        if (drain_error) break;
        left -= std::min<uint64_t>(left, got);
      }
      break;
    }
    if (read_error) break;
    http::request<http::string_body> req = parser.release();
    bool keep_alive = req.keep_alive();
    co_await Serve(req);
    if (streaming || closed || !keep_alive) break;
  }
  co_await FlushWithin(stream, 2000ms);
  beast::error_code ignored;
  stream.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  stream.next_layer().close(ignored);
  Finish();
}

net::awaitable<void> HttpsServer::Impl::Session::Watchdog() {
  auto self = shared_from_this();
  while (!finished) {
    co_await deadline.async_wait(kTuple);
    if (finished || deadline.expiry() > std::chrono::steady_clock::now()) continue;
    beast::error_code ignored;
    stream.next_layer().close(ignored);
    Expire(kNever);
  }
}

net::awaitable<void> HttpsServer::Impl::Session::Serve(http::request<http::string_body>& req) {
  auto start = std::chrono::steady_clock::now();
  std::string target(req.target());
  Request request;
  request.method = std::string(req.method_string());
  size_t q = target.find('?');
  request.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string::npos) request.query = ParseQuery(std::string_view(target).substr(q + 1));
  request.accept = std::string(req[http::field::accept]);
  request.content_type = std::string(req[http::field::content_type]);
  request.authorization = std::string(req[http::field::authorization]);
  request.user_agent = std::string(req[http::field::user_agent]);
  request.body = std::move(req.body());
  request.cert_user = cert_user;
  request.cert_groups = cert_groups;
  FillUpgrade(req, request);
  Response response = impl.api.Handle(request);
  if (response.delay.count() > 0) co_await Pause(response.delay);
  if (response.websocket) {
    streaming = true;
    Log(request.method, target, response, start);
    if (response.raw_upgrade) {
      co_await ServeRawUpgrade(stream, buffer, response, impl.stopping, wake);
    } else {
      co_await ServeWebSocket(stream, req, response, impl.stopping, wake);
    }
    co_return;
  }
  if (response.stream) {
    co_await StreamResponse(response, request.method, target, start);
    co_return;
  }
  http::response<http::string_body> res{static_cast<http::status>(response.code), req.version()};
  res.set(http::field::content_type, response.content_type);
  res.set(http::field::cache_control, "no-cache, private");
  for (const auto& [name, value] : response.headers) res.insert(name, value);
  res.keep_alive(req.keep_alive() && !impl.stopping);
  res.body() = std::move(response.body);
  res.prepare_payload();
  Expire(60s);
  if (response.reset_after_bytes) {
    std::ostringstream head;
    head << res.base();
    std::string partial = head.str() + res.body().substr(0, *response.reset_after_bytes);
    co_await net::async_write(stream, net::buffer(partial), kTuple);
    Log(request.method, target, response, start);
    ResetConnection(stream.next_layer());
    closed = true;
    co_return;
  }
  auto [write_error, n] = co_await http::async_write(stream, res, kTuple);
  if (write_error) closed = true;
  Log(request.method, target, response, start);
}

net::awaitable<void> HttpsServer::Impl::Session::WatchForClose() {
  auto self = shared_from_this();
  char scratch[512];
  while (true) {
    auto [error, n] = co_await stream.async_read_some(net::buffer(scratch), kTuple);
    if (error) break;
  }
  closed = true;
  wake.cancel();
}

net::awaitable<void> HttpsServer::Impl::Session::StreamResponse(
    Response& response, const std::string& method, const std::string& target,
    std::chrono::steady_clock::time_point start) {
  streaming = true;
  http::response<http::empty_body> res{http::status::ok, 11};
  res.set(http::field::content_type, response.content_type);
  res.set(http::field::cache_control, "no-cache, private");
  res.set(http::field::connection, "close");
  res.chunked(true);
  http::response_serializer<http::empty_body> serializer{res};
  Expire(kNever);
  auto [header_error, h] = co_await http::async_write_header(stream, serializer, kTuple);
  if (header_error) co_return;
  Log(method, target, response, start);
  response.stream->Start(this);
  net::co_spawn(stream.get_executor(), WatchForClose(), net::detached);
  while (true) {
    while (!queue.empty() && !closed) {
      std::string data = std::move(queue.front());
      queue.pop_front();
      auto [write_error, n] =
          co_await net::async_write(stream, http::make_chunk(net::buffer(data)), kTuple);
      if (write_error) closed = true;
    }
    auto now = std::chrono::steady_clock::now();
    if (closed || ended || aborted || impl.stopping || now >= response.stream->deadline()) break;
    auto until = std::min(response.stream->deadline(), now + std::chrono::milliseconds(500));
    wake.expires_at(until);
    co_await wake.async_wait(kTuple);
    response.stream->Tick();
  }
  response.stream->Stop();
  if (aborted && !closed) {
    ResetConnection(stream.next_layer());
    closed = true;
  }
  if (!closed) co_await net::async_write(stream, http::make_chunk_last(), kTuple);
}

net::awaitable<void> HttpsServer::Impl::Accept() {
  while (!stopping) {
    auto [error, socket] = co_await acceptor.async_accept(kTuple);
    if (error) {
      if (stopping || error == net::error::operation_aborted) co_return;
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    auto session = std::make_shared<Session>(*this, std::move(socket));
    net::co_spawn(
        ioc, [session]() { return session->Run(); }, net::detached);
  }
}

void HttpsServer::Impl::Stop() {
  stopping = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  for (Session* session : sessions) session->Interrupt();
}

HttpsServer::HttpsServer(ApiServer& api, TlsMaterial tls, ListenOptions options)
    : impl_(std::make_unique<Impl>(api, std::move(tls), std::move(options))) {}

HttpsServer::~HttpsServer() = default;

Timers& HttpsServer::timers() { return impl_->timers; }

net::io_context& HttpsServer::io_context() { return impl_->ioc; }

mm::Result<uint16_t> HttpsServer::Listen() {
  Impl& impl = *impl_;
  try {
    if (auto configured = ConfigureServerTls(impl.ssl_ctx, impl.tls); !configured) {
      return configured.error();
    }
    tcp::endpoint endpoint(net::ip::make_address(impl.options.host), impl.options.port);
    impl.acceptor.open(endpoint.protocol());
    impl.acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl.acceptor.bind(endpoint);
    impl.acceptor.listen(net::socket_base::max_listen_connections);
    return impl.acceptor.local_endpoint().port();
  } catch (const std::exception& e) {
    return mm::Error::Transport(std::string("cannot listen on ") + impl.options.host + ":" +
                                std::to_string(impl.options.port) + ": " + e.what());
  }
}

void HttpsServer::RunUntilSignal() {
  Impl& impl = *impl_;
  net::signal_set signals(impl.ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& error, int) {
    if (error) return;
    impl.Stop();
    // Wait for connections to finish, at most 3 s, then drop the rest.
    net::co_spawn(
        impl.ioc,
        [&impl]() -> net::awaitable<void> {
          net::steady_timer timer(impl.ioc);
          for (int i = 0; i < 60 && !impl.sessions.empty(); ++i) {
            timer.expires_after(50ms);
            co_await timer.async_wait(kTuple);
          }
          impl.ioc.stop();
        },
        net::detached);
  });
  net::co_spawn(impl.ioc, impl.Accept(), net::detached);
  impl.ioc.run();
}

}  // namespace sandbox
