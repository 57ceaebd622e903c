#include "kubeapi/url.h"

#include <cctype>
#include <charconv>

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
  out.port = out.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
    if (error != std::errc() || end != port_text.data() + port_text.size()) return false;
  }
  return !out.host.empty();
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
