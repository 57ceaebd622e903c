#pragma once

#include <memory>
#include <string>

#include "kubeapi/http.h"
#include "kubeapi/rest_config.h"

namespace mm::kubeapi {

// How the client reaches the API server: shared by REST requests (NativeTransport) and WebSocket
// streams (WebSocketTransport).
struct NetworkOptions {
  TlsConfig tls;
  std::shared_ptr<const ClientIdentity> identity;  // static client certificate; may be null
  // "": HTTPS_PROXY/HTTP_PROXY minus NO_PROXY, never for loopback; else this proxy for every
  // host, loopback included, whatever NO_PROXY says (client-go's rules for each case;
  // proxy_selection.h).
  std::string proxy_url;
  bool disable_compression = false;
  std::string user_agent;
};

}  // namespace mm::kubeapi
