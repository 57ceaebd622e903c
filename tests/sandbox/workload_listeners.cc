// The simulated workload ports on loopback TCP (see workload_listeners.h). Each accepted
// connection runs a sim::WorkloadProtocol; each kubelet-side connection is a small state shared
// by its reader and writer coroutines, so destroying the PortConnection never leaves a coroutine
// with a dangling pointer.
#include "tests/sandbox/workload_listeners.h"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <deque>
#include <map>
#include <vector>

#include "kubeapi/transfer_all_at_once.h"
#include "tests/sandbox/chunk_pool.h"
#include "tests/sandbox/peer_closed.h"
#include "tests/sandbox/sim/workload_protocols.h"

namespace sandbox {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using mm::kubeapi::TransferAllAtOnce;
using sim::PortKind;
constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);
constexpr size_t kChunk = 256 * 1024;
constexpr PortKind kKinds[] = {PortKind::kMattermostHttp, PortKind::kMetrics, PortKind::kBulk};

// Bytes the kubelet side holds for pods (given to Write, not yet sent), over all connections.
struct QueueStats {
  size_t queued = 0, peak = 0;
  void Add(size_t n) {
    queued += n;
    peak = std::max(peak, queued);
  }
};

// The kubelet side of one connection to a pod port.
struct ClientState {
  ClientState(net::io_context& ioc, std::shared_ptr<QueueStats> s)
      : socket(ioc), resume(ioc), stats(std::move(s)) {}
  ~ClientState() { stats->queued -= queued; }
  tcp::socket socket;
  net::steady_timer resume;  // wakes the paused reader
  sim::PortEvents events;
  std::shared_ptr<QueueStats> stats;
  std::deque<std::string> queue;
  size_t queued = 0;  // bytes in queue and in the write in flight
  bool connected = false, writing = false, close_write = false, reading = true;
  bool ended = false;  // on_end was queued; the socket is closed
  bool dead = false;   // the PortConnection was destroyed: no more callbacks
};
using ClientPtr = std::shared_ptr<ClientState>;

void End(const ClientPtr& s, std::string error) {
  if (s->ended) return;
  s->ended = true;
  boost::system::error_code ignored;
  s->socket.close(ignored);
  s->resume.cancel();
  net::post(s->socket.get_executor(), [s, error = std::move(error)] {
    if (!s->dead && s->events.on_end) s->events.on_end(error);
  });
}

net::awaitable<void> WriteLoop(ClientPtr s) {
  s->writing = true;
  while (!s->queue.empty() && !s->ended) {
    std::string data = std::move(s->queue.front());
    s->queue.pop_front();
    auto [error, n] =
        co_await net::async_write(s->socket, net::buffer(data), TransferAllAtOnce{}, kTuple);
    s->queued -= data.size();
    s->stats->queued -= data.size();
    if (error) End(s, error.message());
    if (!error && !s->dead && s->events.on_sent) s->events.on_sent();
  }
  s->writing = false;
  if (s->close_write && !s->ended) {
    boost::system::error_code ignored;
    s->socket.shutdown(tcp::socket::shutdown_send, ignored);
  }
}

void Kick(const ClientPtr& s) {
  if (s->connected && !s->writing && !s->ended && (!s->queue.empty() || s->close_write)) {
    net::co_spawn(s->socket.get_executor(), WriteLoop(s), net::detached);
  }
}

// Reads the pod's bytes into pooled chunks: handed on whole to on_chunk (no copy), else shown
// to on_data and read into again.
net::awaitable<void> ReadLoop(ClientPtr s) {
  std::string chunk;
  while (!s->ended) {
    if (!s->reading) {
      s->resume.expires_at(net::steady_timer::time_point::max());
      co_await s->resume.async_wait(kTuple);
      continue;
    }
    if (chunk.size() != kChunkSize) chunk = TakeChunk();
    auto [error, n] = co_await s->socket.async_read_some(
        net::buffer(chunk.data() + kChunkHeadroom, kChunkData), kTuple);
    if (s->ended) break;
    if (n > 0 && !s->dead && s->events.on_chunk) {
      s->events.on_chunk(std::move(chunk), n);
      chunk.clear();
    } else if (n > 0 && !s->dead) {
      s->events.on_data(std::string_view(chunk.data() + kChunkHeadroom, n));
    }
    if (error) End(s, error == net::error::eof ? "" : error.message());
  }
  ReturnChunk(std::move(chunk));
}

class TcpPortConnection : public sim::PortConnection {
 public:
  explicit TcpPortConnection(ClientPtr state) : s_(std::move(state)) {}
  ~TcpPortConnection() override {
    s_->dead = true;
    boost::system::error_code ignored;
    s_->socket.close(ignored);
    s_->resume.cancel();
    s_->ended = true;
  }
  void Write(std::string bytes) override {
    s_->queued += bytes.size();
    s_->stats->Add(bytes.size());
    s_->queue.push_back(std::move(bytes));
    Kick(s_);
  }
  void CloseWrite() override {
    s_->close_write = true;
    Kick(s_);
  }
  void SetReading(bool reading) override {
    s_->reading = reading;
    if (reading) s_->resume.cancel();
  }
  size_t queued_bytes() const override { return s_->queued; }

 private:
  ClientPtr s_;
};

}  // namespace

struct WorkloadListeners::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(net::io_context& i) : ioc(i) {}

  net::awaitable<void> Accept(tcp::acceptor& acceptor, PortKind kind);
  net::awaitable<void> Serve(std::shared_ptr<tcp::socket> socket, sim::PortTarget target);

  net::io_context& ioc;
  std::map<PortKind, std::unique_ptr<tcp::acceptor>> acceptors;
  std::map<uint16_t, sim::PortTarget> pending;  // kubelet socket's local port -> its target
  std::map<std::string, std::vector<std::weak_ptr<ClientState>>> clients;  // by pod uid
  std::map<std::string, std::vector<std::weak_ptr<tcp::socket>>> servers;  // by pod uid
  std::shared_ptr<QueueStats> stats = std::make_shared<QueueStats>();
  bool stopped = false;
};

net::awaitable<void> WorkloadListeners::Impl::Accept(tcp::acceptor& acceptor, PortKind kind) {
  auto self = shared_from_this();
  while (!stopped) {
    auto [error, socket] = co_await acceptor.async_accept(kTuple);
    if (error) {
      if (stopped || error == net::error::operation_aborted) co_return;
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    sim::PortTarget target{
        .pod_uid = "", .pod_name = "", .port = 0, .kind = kind, .version = "direct"};
    boost::system::error_code peer_error;
    tcp::endpoint peer = socket.remote_endpoint(peer_error);
    if (auto it = pending.find(peer.port()); !peer_error && it != pending.end()) {
      target = std::move(it->second);
      pending.erase(it);
    }
    auto shared = std::make_shared<tcp::socket>(std::move(socket));
    if (!target.pod_uid.empty()) servers[target.pod_uid].push_back(shared);
    net::co_spawn(ioc, Serve(shared, std::move(target)), net::detached);
  }
}

net::awaitable<void> WorkloadListeners::Impl::Serve(std::shared_ptr<tcp::socket> socket,
                                                    sim::PortTarget target) {
  auto self = shared_from_this();
  auto protocol = sim::MakeWorkloadProtocol(target.kind, target.version);
  std::vector<char> buffer(64 * 1024);
  bool eof = false;
  while (true) {
    for (std::string_view out = protocol->Produce(kChunk); !out.empty();
         out = protocol->Produce(kChunk)) {
      auto [error, n] =
          co_await net::async_write(*socket, net::buffer(out), TransferAllAtOnce{}, kTuple);
      if (error) co_return;
    }
    if (protocol->Finished() || eof) break;
    if (protocol->Holding()) {  // a pod that stops reading: wait for the connection to end
      net::steady_timer poll(ioc);
      while (socket->is_open() && !PeerClosed(socket->native_handle())) {
        poll.expires_after(std::chrono::milliseconds(200));
        co_await poll.async_wait(kTuple);
      }
      break;
    }
    auto [error, n] = co_await socket->async_read_some(net::buffer(buffer), kTuple);
    if (n > 0) protocol->Receive(std::string_view(buffer.data(), n));
    if (error == net::error::eof) {
      eof = true;
      protocol->ReceiveEnd();
    } else if (error) {
      co_return;
    }
  }
  boost::system::error_code ignored;
  socket->shutdown(tcp::socket::shutdown_send, ignored);
  socket->close(ignored);
}

WorkloadListeners::WorkloadListeners(net::io_context& ioc) : impl_(std::make_shared<Impl>(ioc)) {}

WorkloadListeners::~WorkloadListeners() { Stop(); }

mm::Result<void> WorkloadListeners::Listen(const std::string& host) {
  try {
    for (PortKind kind : kKinds) {
      auto acceptor = std::make_unique<tcp::acceptor>(impl_->ioc);
      tcp::endpoint endpoint(net::ip::make_address(host), 0);
      acceptor->open(endpoint.protocol());
      acceptor->bind(endpoint);
      acceptor->listen(net::socket_base::max_listen_connections);
      tcp::acceptor& ref = *acceptor;
      impl_->acceptors[kind] = std::move(acceptor);
      net::co_spawn(impl_->ioc, impl_->Accept(ref, kind), net::detached);
    }
  } catch (const std::exception& e) {
    return mm::Error::Transport("cannot listen for the simulated workload ports on " + host + ": " +
                                e.what());
  }
  return {};
}

std::string WorkloadListeners::Address(PortKind kind) const {
  auto it = impl_->acceptors.find(kind);
  if (it == impl_->acceptors.end()) return "";
  boost::system::error_code error;
  tcp::endpoint endpoint = it->second->local_endpoint(error);
  if (error) return "";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

void WorkloadListeners::Stop() {
  impl_->stopped = true;
  boost::system::error_code ignored;
  for (auto& [kind, acceptor] : impl_->acceptors) acceptor->close(ignored);
  std::vector<std::string> uids;
  for (const auto& [uid, list] : impl_->clients) uids.push_back(uid);
  for (const auto& [uid, list] : impl_->servers) uids.push_back(uid);
  for (const auto& uid : uids) ClosePod(uid, "the sandbox is shutting down");
}

std::unique_ptr<sim::PortConnection> WorkloadListeners::Connect(const sim::PortTarget& target,
                                                                sim::PortEvents events) {
  auto s = std::make_shared<ClientState>(impl_->ioc, impl_->stats);
  s->events = std::move(events);
  auto& list = impl_->clients[target.pod_uid];
  std::erase_if(list, [](const auto& weak) { return weak.expired(); });
  list.push_back(s);
  auto connection = std::make_unique<TcpPortConnection>(s);
  auto acceptor = impl_->acceptors.find(target.kind);
  boost::system::error_code error;
  tcp::endpoint listener;
  if (acceptor != impl_->acceptors.end()) listener = acceptor->second->local_endpoint(error);
  if (acceptor == impl_->acceptors.end() || error || impl_->stopped) {
    End(s, "connect: connection refused");
    return connection;
  }
  s->socket.open(tcp::v4(), error);
  if (!error) s->socket.bind(tcp::endpoint(listener.address(), 0), error);
  tcp::endpoint local = error ? tcp::endpoint() : s->socket.local_endpoint(error);
  if (error) {
    End(s, error.message());
    return connection;
  }
  impl_->pending[local.port()] = target;
  auto connect = [impl = impl_, s, listener, port = local.port()]() -> net::awaitable<void> {
    auto [connect_error] = co_await s->socket.async_connect(listener, kTuple);
    if (connect_error) {
      impl->pending.erase(port);
      End(s, "dial tcp4 " + listener.address().to_string() + ":" + std::to_string(listener.port()) +
                 ": " + connect_error.message());
      co_return;
    }
    if (s->ended) co_return;
    boost::system::error_code ignored;
    s->socket.set_option(tcp::no_delay(true), ignored);
    s->connected = true;
    Kick(s);
    co_await ReadLoop(s);
  };
  net::co_spawn(impl_->ioc, connect, net::detached);
  return connection;
}

size_t WorkloadListeners::queued_to_pods() const { return impl_->stats->queued; }

size_t WorkloadListeners::queued_to_pods_peak() const { return impl_->stats->peak; }

void WorkloadListeners::ResetPeak() { impl_->stats->peak = impl_->stats->queued; }

void WorkloadListeners::ClosePod(const std::string& uid, const std::string& reason) {
  if (auto it = impl_->clients.find(uid); it != impl_->clients.end()) {
    for (const auto& weak : it->second) {
      if (auto s = weak.lock()) End(s, reason);
    }
    impl_->clients.erase(it);
  }
  if (auto it = impl_->servers.find(uid); it != impl_->servers.end()) {
    for (const auto& weak : it->second) {
      boost::system::error_code ignored;
      if (auto socket = weak.lock()) socket->close(ignored);
    }
    impl_->servers.erase(it);
  }
}

}  // namespace sandbox
