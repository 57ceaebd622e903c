#include "plugin/port_forward/port_spec.h"

#include <charconv>
#include <string>

namespace mm {
namespace {

// Returns the port in `text`, or -1 when it is not a number in min..65535.
int ParsePort(std::string_view text, int min) {
  int port = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < min || port > 65535) {
    return -1;
  }
  return port;
}

}  // namespace

Result<PortSpec> ParsePortSpec(std::string_view text) {
  auto invalid = [&] {
    return Error::Usage("invalid port \"" + std::string(text) +
                        "\": expected LOCAL, LOCAL:REMOTE or :REMOTE with ports in 1-65535");
  };
  PortSpec spec;
  size_t colon = text.find(':');
  std::string_view local = colon == std::string_view::npos ? text : text.substr(0, colon);
  std::string_view remote = colon == std::string_view::npos ? text : text.substr(colon + 1);
  spec.local = local.empty() ? 0 : ParsePort(local, 0);
  spec.remote = ParsePort(remote, 1);
  spec.local_given = true;
  if (spec.local < 0 || spec.remote < 0) return invalid();
  return spec;
}

}  // namespace mm
