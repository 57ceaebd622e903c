#pragma once

#include <string>

#include "kubeapi/connection.h"
#include "kubeapi/http.h"
#include "kubeapi/transfer_failure.h"

namespace mm::kubeapi {

// How one request is written on the wire.
struct RequestFraming {
  std::string authority;  // Host (HTTP/1.1) or :authority (HTTP/2): the URL's host[:port]
  std::string target;     // "/path?query", or the absolute URL for a forwarding proxy
  std::string user_agent;
  bool offer_gzip = true;           // send Accept-Encoding: gzip and decode gzip answers
  std::string proxy_authorization;  // for a forwarding proxy; "" for none
};

// How an exchange on one connection ended.
struct ExchangeResult {
  TransferFailure failure;  // error kNone when a response arrived
  bool reusable = false;    // the connection may carry another request
  // The server provably did not process the request (an HTTP/2 stream above the GOAWAY's
  // last-stream-id, or reset with REFUSED_STREAM; RFC 9113 §8.7): it may go again, on another
  // connection, whatever its method.
  bool refused = false;
};

// Returns the HTTP/1.1 request head for `request` (headers as given; Accept, User-Agent, Host,
// Accept-Encoding and Content-Length added), or "" when a header name or value would break the
// framing (CR, LF or NUL).
std::string FormatHttp1Request(const HttpRequest& request, const RequestFraming& framing);

// Sends `request` on `connection` with HTTP/1.1 and reads the answer into `response` (status,
// lower-cased headers, body or on_body as BodySink delivers it). Content-Length, chunked and
// close-delimited bodies are read; the connection is reusable after a complete keep-alive answer.
ExchangeResult ExchangeHttp1(Connection& connection, const HttpRequest& request,
                             const RequestFraming& framing, SteadyTime deadline,
                             HttpResponse& response);

}  // namespace mm::kubeapi
