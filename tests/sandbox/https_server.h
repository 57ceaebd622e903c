#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "tests/sandbox/api_server.h"
#include "tests/sandbox/server_tls.h"
#include "tests/sandbox/sim/timers.h"

namespace boost::asio {
class io_context;
}

namespace sandbox {

struct ListenOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 = any free port
  bool log_requests = true;
  size_t body_limit = 3 * 1024 * 1024;  // kube-apiserver's 3 MiB request limit
};

// The HTTPS front end: TLS (HTTP/1.1 only, client certificates verified against the CA),
// keep-alive connections, chunked streaming for watches, a request log on stderr. All I/O runs on
// one thread; Boost.Beast and Asio are confined to https_server.cc.
class HttpsServer {
 public:
  HttpsServer(ApiServer& api, TlsMaterial tls, ListenOptions options);
  ~HttpsServer();

  // Binds and listens; returns the bound port. Fails with a transport error.
  mm::Result<uint16_t> Listen();
  // Serves until SIGINT or SIGTERM, then ends open watches cleanly, closes connections and
  // returns.
  void RunUntilSignal();
  // Timers on the server's event loop (for the simulated cluster). Owned by the server.
  Timers& timers();
  // The server's event loop, for other listeners that share its thread (workload ports).
  boost::asio::io_context& io_context();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sandbox
