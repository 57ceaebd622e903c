#pragma once

#include <string>
#include <string_view>

#include "kubeapi/url.h"

namespace mm::kubeapi {

// The proxy variables of the environment (upper-case names first, as Go reads them).
struct ProxyEnvironment {
  std::string https_proxy;  // HTTPS_PROXY or https_proxy
  std::string http_proxy;   // HTTP_PROXY or http_proxy
  std::string no_proxy;     // NO_PROXY or no_proxy

  // Reads the variables of this process.
  static ProxyEnvironment FromProcess();
};

// Reads the user information of a proxy URL ("socks5://user:pass@host:1080", percent-escapes
// decoded) into `user` and `password`; returns false when the URL names no user. (Defined in
// url.cc, next to ProxyAuthorization, which sends the same for HTTP proxies.)
bool ProxyCredentials(std::string_view proxy_url, std::string& user, std::string& password);

// Returns the proxy URL a request to `url` goes through, "" for a direct connection, with
// client-go's rules: a kubeconfig `configured` proxy-url applies to every host, loopback included,
// whatever NO_PROXY says; otherwise HTTPS_PROXY for https:// URLs and HTTP_PROXY for http:// ones,
// except for localhost and loopback addresses and hosts NO_PROXY names ("*", exact IPs, CIDR
// ranges, domains with their subdomains, ".domain" or "*.domain" for subdomains only, each with an
// optional ":port"). A proxy value without a scheme means http://.
std::string SelectProxy(const UrlParts& url, const std::string& configured,
                        const ProxyEnvironment& environment);

}  // namespace mm::kubeapi
