#include "kubeapi/port_forward.h"

#include <unistd.h>

#include <list>
#include <memory>
#include <thread>

#include "kubeapi/pod_stream.h"

namespace mm::kubeapi {
namespace {

constexpr unsigned char kData = 0;
constexpr unsigned char kError = 1;
constexpr std::chrono::seconds kPreambleTimeout{30};

// Reads the two 3-byte messages [channel, port & 0xFF, port >> 8] the server sends first.
Result<void> ReadPreambles(WebSocketConnection& socket, int port, const CancellationToken* cancel) {
  bool seen[2] = {false, false};
  SteadyTime deadline = std::chrono::steady_clock::now() + kPreambleTimeout;
  std::string message;
  while (!seen[kData] || !seen[kError]) {
    auto read = socket.Read(message, cancel, deadline);
    if (!read) return std::move(read).error();
    if (!*read) return Error::Transport("port-forward: the server closed the stream at once");
    auto channel = message.empty() ? 0xFF : static_cast<unsigned char>(message[0]);
    bool valid = message.size() == 3 && channel <= kError && !seen[channel] &&
                 (static_cast<unsigned char>(message[1]) |
                  (static_cast<unsigned char>(message[2]) << 8)) == port;
    if (!valid) {
      return Error::Transport("port-forward: unexpected first message on channel " +
                              std::to_string(channel) + " (expected the port " +
                              std::to_string(port) + " preamble)");
    }
    seen[channel] = true;
  }
  return {};
}

}  // namespace

Result<void> ForwardConnection(Client& client, const PortForwardTarget& target, int fd,
                               const CancellationToken* cancel) {
  auto socket = OpenPodStream(client, {.namespace_name = target.namespace_name,
                                       .pod = target.pod,
                                       .subresource = "portforward",
                                       .query = {{"ports", std::to_string(target.port)}},
                                       .protocols = {"v4.channel.k8s.io"},
                                       .cancel = cancel});
  if (!socket) return std::move(socket).error();
  WebSocketConnection& connection = **socket;
  if (auto preambles = ReadPreambles(connection, target.port, cancel); !preambles) {
    connection.Close();
    return preambles;
  }
  auto on_error_channel = [](unsigned char channel, std::string_view text) -> Result<void> {
    if (channel == kError && !text.empty()) return Error::Transport(std::string(text));
    return {};
  };
  return connection.Pump(fd, kData, on_error_channel, cancel);
}

Result<void> PortForwarder::Run(const CancellationToken& cancel) {
  struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::list<Connection> connections;
  auto reap = [&connections](bool all) {
    for (auto it = connections.begin(); it != connections.end();) {
      if (all || it->done.load()) {
        it->thread.join();
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  };
  Result<void> result;
  while (true) {
    Result<int> accepted = listener_.Accept(&cancel);
    reap(false);
    if (!accepted) {
      result = std::move(accepted).error();
      break;
    }
    int fd = *accepted;
    Result<PortForwardTarget> target = pick_();
    if (!target) {
      ::close(fd);
      report_(target.error());
      continue;
    }
    ++served_;
    Connection& connection = connections.emplace_back();
    connection.thread = std::thread([this, fd, target = *target, &cancel, &connection] {
      Result<void> forwarded = ForwardConnection(client_, target, fd, &cancel);
      ::close(fd);
      if (!forwarded && forwarded.error().kind() != ErrorKind::kInterrupted) {
        report_(forwarded.error());
      }
      connection.done = true;
    });
  }
  reap(true);
  return result;
}

}  // namespace mm::kubeapi
