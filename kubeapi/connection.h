#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kubeapi/cancellation.h"
#include "kubeapi/http.h"
#include "kubeapi/rest_config.h"
#include "kubeapi/steady_time.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {

// Where a connection goes and how it is secured.
struct ConnectionTarget {
  UrlParts url;           // the server (only scheme, host and port matter)
  std::string proxy_url;  // the proxy chosen for it (proxy_selection.h), "" for none
  TlsConfig tls;
  std::shared_ptr<const ClientIdentity> identity;  // client certificate; may be null
  bool offer_http2 = true;                         // offer h2 before http/1.1 in ALPN
};

// The outcome of one read or write.
struct IoResult {
  enum Status { kOk, kEof, kError, kCancelled, kDeadline } status = kOk;
  size_t bytes = 0;
  long os_errno = 0;   // the system error behind kError, 0 when none
  std::string detail;  // what went wrong, for kError
};

// One open connection to the API server (TCP, TLS for https://, through a proxy when one was
// chosen), with blocking reads and writes that honour a CancellationToken and a deadline (a stop
// closes the connection). The Asio and OpenSSL state lives in connection.cc. Not thread-safe:
// one request uses it at a time.
class Connection {
 public:
  struct Impl;
  // Dials `target` (dialer.h). Returns the open connection, or null with `failure` set in
  // kubectl's words.
  static std::unique_ptr<Connection> Open(const ConnectionTarget& target,
                                          const CancellationToken* cancel, SteadyTime deadline,
                                          HttpResponse& failure);
  explicit Connection(std::unique_ptr<Impl> impl);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Whether ALPN chose HTTP/2.
  bool http2() const;
  // False once a read or write failed or was stopped: the connection cannot be used again.
  bool usable() const;
  // Whether an idle connection still looks open: false when the server has closed it (or reset
  // it) since the last exchange, or sent something while `expect_silence` (an HTTP/1.1
  // connection between requests: what arrives then is a TLS close_notify or garbage). Does not
  // block.
  bool StillOpen(bool expect_silence) const;
  // Whether bytes from the server wait on the socket, unread. Does not block.
  bool InputPending() const;

  // Writes all of `bytes`.
  IoResult Write(std::string_view bytes, const CancellationToken* cancel, SteadyTime deadline);
  // Reads at least one byte into `data` (up to `size`); kEof when the server closed.
  IoResult ReadSome(char* data, size_t size, const CancellationToken* cancel, SteadyTime deadline);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mm::kubeapi
