#include "tests/sandbox/channel_protocol.h"

#include <algorithm>

#include "tests/sandbox/json_util.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

struct Supported {
  const char* name;
  int version;
  bool base64;
};

mm::Result<ChannelProtocol> Negotiate(const std::vector<std::string>& offered,
                                      const std::vector<Supported>& supported) {
  if (offered.empty()) return ChannelProtocol{};
  for (const std::string& offer : offered) {
    for (const Supported& s : supported) {
      if (offer == s.name) return ChannelProtocol{offer, s.version, s.base64};
    }
  }
  std::string offers, names;
  for (const auto& o : offered) offers += (offers.empty() ? "" : " ") + o;
  for (const auto& s : supported) names += (names.empty() ? "" : " ") + std::string(s.name);
  return mm::Error::Api(BadRequest("requested protocol(s) are not supported: [" + offers +
                                   "]; supports [" + names + "]"));
}

}  // namespace

mm::Result<ChannelProtocol> NegotiateExecProtocol(const std::vector<std::string>& offered,
                                                  bool v5) {
  std::vector<Supported> supported = {{"v5.channel.k8s.io", 5, false},
                                      {"v4.channel.k8s.io", 4, false},
                                      {"v4.base64.channel.k8s.io", 4, true},
                                      {"channel.k8s.io", 1, false},
                                      {"base64.channel.k8s.io", 1, true}};
  if (!v5) supported.erase(supported.begin());
  return Negotiate(offered, supported);
}

mm::Result<ChannelProtocol> NegotiatePortForwardProtocol(const std::vector<std::string>& offered) {
  return Negotiate(offered,
                   {{"v4.channel.k8s.io", 4, false}, {"v4.base64.channel.k8s.io", 4, true}});
}

std::string EncodeChannelMessage(const ChannelProtocol& protocol, uint8_t channel,
                                 std::string_view payload) {
  if (protocol.base64) {
    return std::string(1, static_cast<char>('0' + channel)) + Base64Encode(payload);
  }
  std::string out;
  out.reserve(payload.size() + 1);
  out += static_cast<char>(channel);
  out.append(payload);
  return out;
}

bool DecodeChannelMessage(const ChannelProtocol& protocol, std::string_view message,
                          uint8_t* channel, std::string* payload) {
  if (message.empty()) return false;
  if (!protocol.base64) {
    *channel = static_cast<uint8_t>(message[0]);
    payload->assign(message.substr(1));
    return true;
  }
  if (message[0] < '0' || message[0] > '9') return false;
  *channel = static_cast<uint8_t>(message[0] - '0');
  payload->clear();
  return Base64Decode(message.substr(1), *payload);
}

mm::Result<std::vector<uint16_t>> ParseForwardedPorts(const Request& request) {
  std::vector<uint16_t> ports;
  for (const auto& [name, value] : request.query) {
    if (name != "ports" && name != "port") continue;
    if (value.empty()) {
      return mm::Error::Api(BadRequest("query parameter \"port\" cannot be empty"));
    }
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = std::min(value.find(',', start), value.size());
      std::string item = value.substr(start, comma - start);
      bool digits =
          !item.empty() && item.size() <= 5 &&
          std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; });
      unsigned long port = digits ? std::stoul(item) : 0;
      if (!digits || port > 65535) {
        return mm::Error::Api(BadRequest("unable to parse \"" + value + "\" as a port"));
      }
      if (port < 1) return mm::Error::Api(BadRequest("port \"" + value + "\" must be > 0"));
      ports.push_back(static_cast<uint16_t>(port));
      start = comma + 1;
    }
  }
  if (ports.empty()) return mm::Error::Api(BadRequest("query parameter \"port\" is required"));
  return ports;
}

std::string PortPreamble(const ChannelProtocol& protocol, uint8_t channel, uint16_t port) {
  const char bytes[2] = {static_cast<char>(port & 0xff), static_cast<char>(port >> 8)};
  return EncodeChannelMessage(protocol, channel, std::string_view(bytes, 2));
}

std::string ExecStatusJson(int exit_code, const std::string& command) {
  if (exit_code == 0) return R"({"metadata":{},"status":"Success"})";
  std::string code = std::to_string(exit_code);
  return R"({"metadata":{},"status":"Failure","message":)" +
         Quote(ExecFailureMessage(exit_code, command)) +
         R"(,"reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":")" +
         code + R"("}]}})";
}

std::string ExecFailureMessage(int exit_code, const std::string& command) {
  return "command terminated with non-zero exit code: command '" + command + "' exited with " +
         std::to_string(exit_code);
}

}  // namespace sandbox
