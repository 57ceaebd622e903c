#pragma once

#include <string_view>

#include "core/result.h"

namespace mm {

inline constexpr int kMattermostPort = 8065;

// Which local port forwards to which pod port.
struct PortSpec {
  int local = kMattermostPort;   // 0: any free port
  int remote = kMattermostPort;  // the pod's port
  bool local_given = false;      // the user named the local port (no fallback when it is taken)
};

// Parses kubectl's port argument: "LOCAL" (the same port on both sides), "LOCAL:REMOTE", or
// ":REMOTE" (any free local port). Fails with kUsage naming the argument when a port is not a
// number in 1..65535 (0 allowed for LOCAL).
Result<PortSpec> ParsePortSpec(std::string_view text);

}  // namespace mm
