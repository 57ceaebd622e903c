#include "kubeapi/proxy_selection.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace mm::kubeapi {
namespace {

std::string FirstSet(const char* upper, const char* lower) {
  for (const char* name : {upper, lower}) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
    if (value != nullptr && *value != '\0') return value;
  }
  return "";
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped), or nothing when `text` is not one.
std::optional<std::array<unsigned char, 16>> ParseIp(const std::string& text) {
  std::array<unsigned char, 16> bytes{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::copy_n(reinterpret_cast<const unsigned char*>(&v4), 4, bytes.begin() + 12);
    return bytes;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::copy_n(reinterpret_cast<const unsigned char*>(&v6), 16, bytes.begin());
    return bytes;
  }
  return std::nullopt;
}

bool IsLoopback(const std::string& host) {
  if (Lower(host) == "localhost") return true;
  std::optional<std::array<unsigned char, 16>> ip = ParseIp(host);
  if (!ip) return false;
  static const std::array<unsigned char, 16> kIpv6Loopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                           0, 0, 0, 0, 0, 0, 0, 1};
  bool v4 = std::all_of(ip->begin(), ip->begin() + 10, [](unsigned char b) { return b == 0; }) &&
            (*ip)[10] == 0xff && (*ip)[11] == 0xff;
  return *ip == kIpv6Loopback || (v4 && (*ip)[12] == 127);
}

// Whether the CIDR range `cidr` ("10.0.0.0/8", "fd00::/8") contains `ip`.
bool InRange(std::string_view cidr, const std::array<unsigned char, 16>& ip) {
  size_t slash = cidr.find('/');
  std::optional<std::array<unsigned char, 16>> base = ParseIp(std::string(cidr.substr(0, slash)));
  int bits = 0;
  std::string_view length = cidr.substr(slash + 1);
  auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), bits);
  if (!base || error != std::errc() || end != length.data() + length.size()) return false;
  if (cidr.substr(0, slash).find(':') == std::string_view::npos) bits += 96;  // IPv4 mapped
  if (bits < 0 || bits > 128) return false;
  for (int i = 0; i < bits; ++i) {
    unsigned char mask = static_cast<unsigned char>(0x80 >> (i % 8));
    if (((*base)[i / 8] & mask) != (ip[i / 8] & mask)) return false;
  }
  return true;
}

// Whether one NO_PROXY entry names `host` (lower-case) on `port`.
bool Matches(std::string_view entry, const std::string& host, int port) {
  std::optional<std::array<unsigned char, 16>> ip = ParseIp(host);
  if (entry.find('/') != std::string_view::npos) return ip && InRange(entry, *ip);
  std::string name(entry);
  if (!name.empty() && name.front() == '[') {  // [v6]:port
    size_t close = name.find(']');
    if (close == std::string::npos) return false;
    std::string rest = name.substr(close + 1);
    name = name.substr(1, close - 1);
    if (!rest.empty() && rest != ":" + std::to_string(port)) return false;
  } else if (size_t colon = name.rfind(':');
             colon != std::string::npos && name.find(':') == colon) {
    if (name.substr(colon + 1) != std::to_string(port)) return false;
    name = name.substr(0, colon);
  }
  if (std::optional<std::array<unsigned char, 16>> entry_ip = ParseIp(name)) {
    return ip && *ip == *entry_ip;
  }
  bool subdomains_only = false;
  if (name.rfind("*.", 0) == 0) name.erase(0, 1);
  if (!name.empty() && name.front() == '.') subdomains_only = true;
  if (subdomains_only) {
    return host.size() > name.size() &&
           host.compare(host.size() - name.size(), name.size(), name) == 0;
  }
  if (host == name) return true;
  return host.size() > name.size() + 1 &&
         host.compare(host.size() - name.size(), name.size(), name) == 0 &&
         host[host.size() - name.size() - 1] == '.';
}

bool Bypassed(const UrlParts& url, const std::string& no_proxy) {
  const std::string host = Lower(url.host);
  std::string_view list = no_proxy;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string entry = Lower(Trim(list.substr(0, comma)));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry == "*") return true;
    if (!entry.empty() && Matches(entry, host, url.port)) return true;
  }
  return false;
}

}  // namespace

ProxyEnvironment ProxyEnvironment::FromProcess() {
  return {FirstSet("HTTPS_PROXY", "https_proxy"), FirstSet("HTTP_PROXY", "http_proxy"),
          FirstSet("NO_PROXY", "no_proxy")};
}

std::string SelectProxy(const UrlParts& url, const std::string& configured,
                        const ProxyEnvironment& environment) {
  if (!configured.empty()) return configured;
  const std::string& proxy = url.scheme == "https"  ? environment.https_proxy
                             : url.scheme == "http" ? environment.http_proxy
                                                    : std::string();
  if (proxy.empty() || IsLoopback(url.host) || Bypassed(url, environment.no_proxy)) return "";
  return proxy.find("://") == std::string::npos ? "http://" + proxy : proxy;
}

}  // namespace mm::kubeapi
