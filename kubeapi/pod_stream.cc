#include "kubeapi/pod_stream.h"

#include "kubeapi/status_error.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {

Result<std::shared_ptr<WebSocketConnection>> OpenPodStream(Client& client,
                                                           const PodStreamRequest& request) {
  HttpRequest http;
  http.url = client.config().server + "/api/v1/namespaces/" + request.namespace_name + "/pods/" +
             request.pod + "/" + request.subresource + EncodeQuery(request.query);
  http.websocket_protocols = request.protocols;
  http.cancel = request.cancel;
  if (client.config().request_timeout.count() > 0) http.timeout = client.config().request_timeout;
  HttpResponse response = client.transport().RoundTrip(http);
  if (response.failure != NetworkFailure::kNone) return ErrorFromFailure(response);
  if (response.status != 101) {
    if (response.status >= 200 && response.status < 300) {
      return Error::Transport("the server did not upgrade the connection to a WebSocket (" +
                              std::to_string(response.status) + ")");
    }
    return ErrorFromResponse(response, "GET");
  }
  if (!response.websocket) return Error::Internal("the transport cannot open WebSocket streams");
  return std::move(response.websocket);
}

}  // namespace mm::kubeapi
