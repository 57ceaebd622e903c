#pragma once

#include <curl/curl.h>

#include <string>

#include "kubeapi/http.h"

namespace mm::kubeapi {

// What a failed transfer looked like, gathered from the handle after curl_easy_perform.
struct CurlFailure {
  CURLcode code = CURLE_OK;
  long os_errno = 0;               // CURLINFO_OS_ERRNO
  long ssl_verify_result = 0;      // CURLINFO_SSL_VERIFYRESULT (an X509_V_ERR_* code)
  std::string detail;              // CURLOPT_ERRORBUFFER
  std::string authority;           // host[:port] as written in the URL
  std::string verified_name;       // the name checked in the server certificate
  bool received_response = false;  // some response bytes arrived
  std::string proxy;               // host:port of the proxy-url the request went through, or ""
  long proxy_connect_code = 0;     // the proxy's answer to CONNECT (CURLINFO_HTTP_CONNECTCODE)
};

// Classifies a failed transfer for the retry policy.
NetworkFailure ClassifyCurlFailure(const CurlFailure& failure);

// Returns the text kubectl prints for the failure: "The connection to the server <host> was
// refused - did you specify the right host or port?" or "Unable to connect to the server: <why>",
// with Go's wording for common causes (x509 errors, DNS, timeouts). A proxy that cannot be reached
// or refuses the tunnel is named ("proxyconnect tcp: dial tcp <proxy>: ...", where kubectl would
// blame the API server).
std::string DescribeCurlFailure(const CurlFailure& failure);

}  // namespace mm::kubeapi
