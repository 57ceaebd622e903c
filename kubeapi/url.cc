#include "kubeapi/url.h"

#include <cctype>
#include <charconv>

#include "core/base64.h"
#include "kubeapi/proxy_selection.h"

namespace mm::kubeapi {

bool SplitUrl(std::string_view url, UrlParts& out) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  out.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t path_start = rest.find_first_of("/?");
  out.authority = std::string(rest.substr(0, path_start));
  out.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (!out.path.empty() && out.path[0] == '?') out.path = "/" + out.path;
  std::string_view authority = out.authority;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      port_text = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  out.port = out.scheme == "https" ? 443 : out.scheme == "socks5" ? 1080 : 80;
  if (!port_text.empty()) {
    auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
    if (error != std::errc() || end != port_text.data() + port_text.size()) return false;
  }
  return !out.host.empty();
}

std::string HostPort(const UrlParts& parts) {
  bool ipv6 = parts.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + parts.host + "]" : parts.host) + ":" + std::to_string(parts.port);
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; a malformed escape stays as written.
std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    bool escape = text[i] == '%' && i + 2 < text.size();
    int high = escape ? HexValue(text[i + 1]) : -1;
    int low = escape ? HexValue(text[i + 2]) : -1;
    if (high >= 0 && low >= 0) {
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

bool ProxyCredentials(std::string_view proxy_url, std::string& user, std::string& password) {
  UrlParts parts;
  if (!SplitUrl(proxy_url, parts)) return false;
  size_t at = parts.authority.rfind('@');
  if (at == std::string::npos) return false;
  std::string_view userinfo = std::string_view(parts.authority).substr(0, at);
  size_t colon = userinfo.find(':');
  user = PercentDecode(userinfo.substr(0, colon));
  password = colon == std::string_view::npos ? "" : PercentDecode(userinfo.substr(colon + 1));
  return true;
}

std::string ProxyAuthorization(std::string_view proxy_url) {
  std::string user, password;
  if (!ProxyCredentials(proxy_url, user, password)) return "";
  return "Basic " + Base64Encode(user + ":" + password);
}

std::string QueryEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';  // as Go's url.QueryEscape, which kubectl uses
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += out.empty() ? '?' : '&';
    out += QueryEscape(key);
    out += '=';
    out += QueryEscape(value);
  }
  return out;
}

}  // namespace mm::kubeapi
