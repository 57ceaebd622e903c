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
// `framing` says not to, or the body is streamed to on_body (the API server does not compress
// watches or logs).
ExchangeResult ExchangeHttp2(Connection& connection, H2ClientSession& session,
                             const HttpRequest& request, const RequestFraming& framing,
                             SteadyTime deadline, HttpResponse& response);

}  // namespace mm::kubeapi
