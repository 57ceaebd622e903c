#include "kubeapi/url_fetch.h"

#include "kubeapi/logging_transport.h"
#include "kubeapi/native_transport.h"

namespace mm::kubeapi {
namespace {

constexpr int kMaxRedirects = 10;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// Resolves a Location header against the URL it answered: absolute URLs as they are, "/path"
// on the same scheme and host.
std::string Resolve(const std::string& base, const std::string& location) {
  if (IsUrl(location)) return location;
  size_t host_start = base.find("://") + 3;
  size_t path_start = base.find('/', host_start);
  std::string origin = path_start == std::string::npos ? base : base.substr(0, path_start);
  if (StartsWith(location, "/")) return origin + location;
  size_t last_slash = base.rfind('/');
  return (last_slash < host_start ? origin + "/" : base.substr(0, last_slash + 1)) + location;
}

std::string StatusLine(int status) {
  std::string reason(HttpReasonPhrase(status));
  return std::to_string(status) + (reason.empty() ? "" : " " + reason);
}

}  // namespace

bool IsUrl(const std::string& location) {
  return StartsWith(location, "http://") || StartsWith(location, "https://");
}

Result<std::string> FetchUrl(Transport& transport, const std::string& url,
                             std::chrono::milliseconds timeout) {
  std::string current = url;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    HttpRequest request{.url = current, .timeout = timeout};
    request.headers.emplace_back("Accept", "*/*");
    HttpResponse response = transport.RoundTrip(request);
    if (response.failure != NetworkFailure::kNone) {
      return Error::Transport("unable to read URL \"" + url + "\": " + response.failure_message);
    }
    bool redirect = response.status == 301 || response.status == 302 || response.status == 303 ||
                    response.status == 307 || response.status == 308;
    if (redirect && !response.Header("location").empty()) {
      std::string next = Resolve(current, response.Header("location"));
      if (StartsWith(current, "https://") && !StartsWith(next, "https://")) {
        return Error::Invalid("unable to read URL \"" + url +
                              "\": refusing a redirect from https to " + next);
      }
      current = next;
      continue;
    }
    if (response.status != 200) {
      return Error::Invalid("unable to read URL \"" + url + "\", server reported " +
                            StatusLine(response.status) +
                            ", status code=" + std::to_string(response.status));
    }
    return std::move(response.body);
  }
  return Error::Invalid("unable to read URL \"" + url + "\": stopped after " +
                        std::to_string(kMaxRedirects) + " redirects");
}

Result<std::string> FetchUrl(const std::string& url, const std::string& user_agent,
                             std::chrono::milliseconds timeout) {
  NativeTransport transport({.user_agent = user_agent});
  return FetchUrl(transport, url, timeout);
}

}  // namespace mm::kubeapi
