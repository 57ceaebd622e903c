#pragma once

#include <string>

#include "core/result.h"
#include "kubeapi/cancellation.h"

namespace mm::kubeapi {

// A listening TCP socket on a local address: the local side of a port-forward. Owns the socket
// (closed by the destructor). Thread-safe for one Accept caller.
class LocalListener {
 public:
  // Listens on `address` (an IPv4/IPv6 literal or "localhost", meaning 127.0.0.1) and `port`
  // (0: any free port). When `port` is taken and `any_port_if_taken`, listens on a free port
  // instead and fell_back() says so. Fails with kUsage for an address that is not an IP literal,
  // kTransport ("unable to listen on port N: bind: address already in use") otherwise.
  static Result<LocalListener> Listen(const std::string& address, int port, bool any_port_if_taken);

  LocalListener(LocalListener&& other) noexcept;
  LocalListener& operator=(LocalListener&& other) noexcept;
  LocalListener(const LocalListener&) = delete;
  LocalListener& operator=(const LocalListener&) = delete;
  ~LocalListener();

  const std::string& address() const { return address_; }  // as listened on, e.g. 127.0.0.1
  int port() const { return port_; }                       // the port actually bound
  bool fell_back() const { return fell_back_; }

  // Waits for the next connection and returns its socket (the caller owns and closes it).
  // Fails with kInterrupted when `cancel` fires, kTransport when accept fails.
  Result<int> Accept(const CancellationToken* cancel);

 private:
  LocalListener() = default;

  int fd_ = -1;
  std::string address_;
  int port_ = 0;
  bool fell_back_ = false;
};

}  // namespace mm::kubeapi
