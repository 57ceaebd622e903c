#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kubeapi/connection.h"
#include "kubeapi/http.h"
#include "kubeapi/network_options.h"
#include "kubeapi/proxy_selection.h"

namespace mm::kubeapi {

// The network Transport: HTTPS (or HTTP) on the client's own stack (connection.h: Asio and
// OpenSSL; HTTP/1.1 through Beast's parser, HTTP/2 through H2ClientSession on nghttp2; gzip on
// zlib). Idle connections are pooled, so sequential requests reuse one (HTTP/2 when the server
// offers it through ALPN, HTTP/1.1 otherwise); concurrent requests (a watch next to a GET) get
// their own. A request on a pooled connection the server has closed meanwhile is sent again on a
// fresh one when nothing came back; an idle HTTP/2 connection is checked for a GOAWAY (or a close)
// before reuse, and a request the server refused by GOAWAY is sent again on a fresh connection,
// whatever its method, as it was provably not processed. Certificates and keys are read from
// memory, never written to disk. Thread-safe.
class NativeTransport : public Transport {
 public:
  explicit NativeTransport(NetworkOptions options);
  ~NativeTransport() override;
  HttpResponse RoundTrip(const HttpRequest& request) override;

 private:
  struct Pooled;
  std::unique_ptr<Pooled> Acquire(const std::string& key);
  // Opens a connection to `target` (with its HTTP/2 session when ALPN chose h2); null with
  // `failure` set when that fails.
  std::unique_ptr<Pooled> Open(const std::string& key, const ConnectionTarget& target,
                               const CancellationToken* cancel, SteadyTime deadline,
                               HttpResponse& failure);
  void Release(std::unique_ptr<Pooled> pooled);

  NetworkOptions options_;
  ProxyEnvironment environment_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Pooled>> idle_;
};

}  // namespace mm::kubeapi
