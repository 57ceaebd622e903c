#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "kubeapi/http.h"

namespace mm::kubeapi {

// Whether `location` names a URL (http:// or https://) rather than a file, as kubectl's -f decides.
bool IsUrl(const std::string& location);

// Reads the document at `url` with an HTTP GET, as `kubectl apply -f URL` does: through
// `transport` (the plugin's NativeTransport: system CA roots, HTTPS_PROXY honoured), following
// up to 10 redirects (never from https:// to http://), bounded by `timeout` per request. Returns
// the body of the final 200 answer. Fails with kInvalid in kubectl's words for another status
// (`unable to read URL "<url>", server reported 404 Not Found, status code=404`), or kTransport
// when no answer came. The transport is borrowed.
Result<std::string> FetchUrl(Transport& transport, const std::string& url,
                             std::chrono::milliseconds timeout);

// FetchUrl through a fresh NativeTransport with `user_agent`.
Result<std::string> FetchUrl(const std::string& url, const std::string& user_agent,
                             std::chrono::milliseconds timeout);

}  // namespace mm::kubeapi
