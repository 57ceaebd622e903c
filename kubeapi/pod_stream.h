#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "kubeapi/websocket.h"

namespace mm::kubeapi {

// Where a streaming subresource request goes: /api/v1/namespaces/NS/pods/POD/SUBRESOURCE?QUERY.
struct PodStreamRequest {
  std::string namespace_name;
  std::string pod;
  std::string subresource;                                 // "exec", "portforward", "attach"
  std::vector<std::pair<std::string, std::string>> query;  // repeated keys allowed, order kept
  std::vector<std::string> protocols;                      // offered, in order of preference
  const CancellationToken* cancel = nullptr;
};

// Opens a WebSocket to a pod subresource through `client`'s transport chain (credentials,
// impersonation, -v logging and connection retries as for REST). Returns the open connection;
// fails with the server's Status for a non-101 answer (404 pod not found, 400 pod not running,
// 403 ...), kTransport/kInterrupted when no answer arrived, kInternal when the transport cannot
// upgrade (a test fake).
Result<std::shared_ptr<WebSocketConnection>> OpenPodStream(Client& client,
                                                           const PodStreamRequest& request);

}  // namespace mm::kubeapi
