#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/curl_handle.h"
#include "kubeapi/http.h"
#include "kubeapi/rest_config.h"

namespace mm::kubeapi {

struct CurlTransportOptions {
  TlsConfig tls;
  std::shared_ptr<const ClientIdentity> identity;  // static client certificate; may be null
  // "": HTTPS_PROXY/HTTP_PROXY minus NO_PROXY, never for loopback; else this proxy for every
  // host, loopback included, whatever NO_PROXY says (client-go's rules for each case).
  std::string proxy_url;
  bool disable_compression = false;
  std::string user_agent;
};

// The network Transport: HTTPS (or HTTP) over libcurl. Idle handles are pooled, so sequential
// requests reuse one connection (HTTP/2 when the server offers it through ALPN, HTTP/1.1
// otherwise); concurrent requests (a watch next to a GET) get their own handle. Certificates and
// keys are handed to libcurl from memory (CURLOPT_*_BLOB), never written to disk. Thread-safe.
class CurlTransport : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {}
  HttpResponse RoundTrip(const HttpRequest& request) override;

 private:
  std::unique_ptr<CurlEasy> Acquire();
  void Release(std::unique_ptr<CurlEasy> easy);

  CurlTransportOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<CurlEasy>> idle_;
};

}  // namespace mm::kubeapi
