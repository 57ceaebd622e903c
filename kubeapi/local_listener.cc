#include "kubeapi/local_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

// Fills `address` for host:port; returns false when host is not an IP literal.
bool ToSockaddr(const std::string& host, int port, sockaddr_storage& address, socklen_t& length) {
  address = {};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// Binds and listens; returns the socket or -1 with errno set.
int BindAndListen(const sockaddr_storage& address, socklen_t length) {
  int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0 ||
      ::listen(fd, 128) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace

Result<LocalListener> LocalListener::Listen(const std::string& address, int port,
                                            bool any_port_if_taken) {
  LocalListener listener;
  listener.address_ = address == "localhost" ? "127.0.0.1" : address;
  sockaddr_storage socket_address{};
  socklen_t length = 0;
  if (!ToSockaddr(listener.address_, port, socket_address, length)) {
    return Error::Usage("invalid --address \"" + address + "\": an IP address is required");
  }
  listener.fd_ = BindAndListen(socket_address, length);
  if (listener.fd_ < 0 && errno == EADDRINUSE && any_port_if_taken && port != 0) {
    ToSockaddr(listener.address_, 0, socket_address, length);
    listener.fd_ = BindAndListen(socket_address, length);
    listener.fell_back_ = listener.fd_ >= 0;
  }
  if (listener.fd_ < 0) {
    std::string why = GoErrnoText(errno);
    return Error::Transport("unable to listen on port " + std::to_string(port) + ": bind: " + why);
  }
  listener.port_ = BoundPort(listener.fd_);
  return listener;
}

LocalListener::LocalListener(LocalListener&& other) noexcept { *this = std::move(other); }

LocalListener& LocalListener::operator=(LocalListener&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    address_ = std::move(other.address_);
    port_ = other.port_;
    fell_back_ = other.fell_back_;
  }
  return *this;
}

LocalListener::~LocalListener() {
  if (fd_ >= 0) ::close(fd_);
}

Result<int> LocalListener::Accept(const CancellationToken* cancel) {
  while (cancel == nullptr || !cancel->IsCancelled()) {
    pollfd entry{fd_, POLLIN, 0};
    int ready = ::poll(&entry, 1, 100);
    if (ready < 0 && errno != EINTR) return Error::Transport("poll: " + GoErrnoText(errno));
    if (ready <= 0) continue;
    int connection = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection >= 0) {
      int on = 1;
      ::setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
      return connection;
    }
    if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
      return Error::Transport("accept: " + GoErrnoText(errno));
    }
  }
  return Error::Interrupted("interrupted");
}

}  // namespace mm::kubeapi
