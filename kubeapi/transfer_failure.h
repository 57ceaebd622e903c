#pragma once

#include <string>

#include "kubeapi/http.h"

namespace mm::kubeapi {

// Where an exchange with the server (or the proxy) broke.
enum class TransferError {
  kNone,
  kCouldNotConnect,         // TCP connect failed (os_errno says why)
  kCouldNotResolveHost,     // DNS lookup of the server failed
  kCouldNotResolveProxy,    // DNS lookup of the proxy failed
  kTimedOut,                // the request's deadline passed
  kAborted,                 // the CancellationToken fired
  kPeerFailedVerification,  // the server certificate was not trusted (ssl_verify_result says why)
  kTlsHandshake,            // another TLS failure during the handshake
  kGotNothing,              // the connection closed before any response byte
  kSendError,               // writing failed mid-exchange
  kReceiveError,            // reading failed mid-exchange (or the proxy answered badly)
  kPartialBody,             // the connection closed before the whole body arrived
  kHttp2,                   // an HTTP/2 protocol error or a reset stream
  kProtocol,                // the server's answer was not valid HTTP
};

// What a failed exchange looked like.
struct TransferFailure {
  TransferError error = TransferError::kNone;
  long os_errno = 0;               // the system error behind it, 0 when none
  long ssl_verify_result = 0;      // an X509_V_ERR_* code after a verification failure
  std::string detail;              // the library's description of the error
  std::string authority;           // host[:port] as written in the URL
  std::string verified_name;       // the name checked in the server certificate
  bool received_response = false;  // some response bytes arrived
  std::string proxy;               // host:port of the proxy the request went through, or ""
  long proxy_connect_code = 0;     // the proxy's answer to CONNECT (0 when it gave none)
};

// Classifies a failed exchange for the retry policy.
NetworkFailure ClassifyTransferFailure(const TransferFailure& failure);

// Returns the text kubectl prints for the failure: "The connection to the server <host> was
// refused - did you specify the right host or port?" or "Unable to connect to the server: <why>",
// with Go's wording for common causes (x509 errors, DNS, timeouts). A proxy that cannot be reached
// or refuses the tunnel is named ("proxyconnect tcp: dial tcp <proxy>: ...", where kubectl would
// blame the API server).
std::string DescribeTransferFailure(const TransferFailure& failure);

// An HttpResponse carrying `failure`, classified and described as above.
HttpResponse FailedResponse(const TransferFailure& failure);

}  // namespace mm::kubeapi
