#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/http_types.h"

namespace sandbox {

// The Kubernetes WebSocket channel protocols (wire reference §6.2, §6.3): every message is one
// channel byte and a payload; in the base64 variants the channel is the ASCII digit '0'+n and
// the payload base64 text.
struct ChannelProtocol {
  std::string name;     // as negotiated; "" when the client offered none
  int version = 1;      // 5 for v5.channel.k8s.io, 4 for v4.*, 1 for the older ones
  bool base64 = false;  // base64.channel.k8s.io, v4.base64.channel.k8s.io
};

// Channels of exec/attach.
inline constexpr uint8_t kStdinChannel = 0, kStdoutChannel = 1, kStderrChannel = 2,
                         kErrorChannel = 3, kResizeChannel = 4, kCloseChannel = 255;

// The subprotocol for pods/exec among the client's offers: the first one offered that is
// supported (v5, v4, v4.base64, channel.k8s.io, base64.channel.k8s.io), as kube-apiserver's
// wsstream picks it; no offer means the plain binary protocol. Fails (400) when none is. Without
// `v5`, v5.channel.k8s.io is not supported, as on older API servers.
mm::Result<ChannelProtocol> NegotiateExecProtocol(const std::vector<std::string>& offered,
                                                  bool v5 = true);
// The same for pods/portforward: v4.channel.k8s.io, v4.base64.channel.k8s.io or none; a v5 offer
// is skipped (there is no v5 port-forward).
mm::Result<ChannelProtocol> NegotiatePortForwardProtocol(const std::vector<std::string>& offered);

// One message on `channel`.
std::string EncodeChannelMessage(const ChannelProtocol& protocol, uint8_t channel,
                                 std::string_view payload);
// Splits a client message into its channel and payload; false for an empty message or bad
// base64.
bool DecodeChannelMessage(const ChannelProtocol& protocol, std::string_view message,
                          uint8_t* channel, std::string* payload);

// The ports of a port-forward request: every `ports` (or `port`) query value, comma-separated
// lists split, in order. Fails with the kubelet's message (400) when none is given or one is not
// a number in 1..65535.
mm::Result<std::vector<uint16_t>> ParseForwardedPorts(const Request& request);
// The message sent first on `channel`, for both channels (2i data, 2i+1 error) of the i-th
// forwarded port: the port, uint16 little-endian (wire reference §6.3).
std::string PortPreamble(const ChannelProtocol& protocol, uint8_t channel, uint16_t port);

// The exec result the v4/v5 protocols put on the error channel: a Success Status, or a Failure
// with reason NonZeroExitCode and an ExitCode cause carrying `exit_code`; `command` names the
// command in the message.
std::string ExecStatusJson(int exit_code, const std::string& command);
// The Failure's message, which the protocols before v4 send alone as text:
// "command terminated with non-zero exit code: command 'sh -c exit 3' exited with 3".
std::string ExecFailureMessage(int exit_code, const std::string& command);

}  // namespace sandbox
