#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mm::kubeapi {

// The parts of an absolute URL the client needs.
struct UrlParts {
  std::string scheme;     // "https"
  std::string host;       // "10.0.0.1", "::1" (no brackets), "api.example.com"
  std::string authority;  // as written: "[::1]:6443", "localhost:8080", "example.com"
  int port = 0;           // explicit or the scheme's default
  std::string path;       // "/api/v1/pods?x=y" ("/" when empty)
};

// Splits `url`; returns false when it has no scheme or host.
bool SplitUrl(std::string_view url, UrlParts& out);

// Returns "host:port" for `parts`: IPv6 hosts in brackets, the port always written, never the user
// information (so a proxy's password cannot reach an error message).
std::string HostPort(const UrlParts& parts);

// Returns the Proxy-Authorization value Go's transport sends for a proxy URL with user information
// ("http://user:pass@host:3128": "Basic base64(user:pass)", percent-escapes decoded), or "" when
// the URL names no user.
std::string ProxyAuthorization(std::string_view proxy_url);

// Encodes `text` for a query parameter as Go's url.QueryEscape: unreserved characters kept,
// space as '+', everything else percent-encoded.
std::string QueryEscape(std::string_view text);

// Returns "?k1=v1&k2=v2" with values escaped, or "" for no parameters; order is kept.
std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace mm::kubeapi
