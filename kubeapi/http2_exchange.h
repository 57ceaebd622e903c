#pragma once

#include "kubeapi/connection.h"
#include "kubeapi/h2_client_session.h"
#include "kubeapi/http1_exchange.h"

namespace mm::kubeapi {

// Sends `request` as a new stream of `session` (the connection's HTTP/2 state) and drives the
// session over `connection` until the response is complete, failed, stopped or the deadline
// passed. Fills `response` (http2 set); a failure the session reports (a reset stream, GOAWAY, a
// protocol error) is left in response.failure with the session's text, while failures of the
// connection itself come back in the result, as ExchangeHttp1 reports them. gzip is offered unless
// `framing` says not to, for streamed bodies too (as client-go offers it on watches and logs), and
// decoded as the body arrives.
ExchangeResult ExchangeHttp2(Connection& connection, H2ClientSession& session,
                             const HttpRequest& request, const RequestFraming& framing,
                             SteadyTime deadline, HttpResponse& response);

// Takes in what the server sent on an idle pooled HTTP/2 connection since its last exchange (a
// GOAWAY, PING or SETTINGS frame, or the TLS close), waiting at most a moment for a record that
// is still arriving. Returns whether the connection may carry a new request: false once the
// server has sent GOAWAY or closed it, so the request goes to a fresh connection instead of being
// refused (or lost) on this one. Any PING acknowledgement is left queued in `session`.
bool RefreshIdleHttp2(Connection& connection, H2ClientSession& session,
                      const CancellationToken* cancel, SteadyTime deadline);

}  // namespace mm::kubeapi
