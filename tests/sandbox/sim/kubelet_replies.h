#pragma once
// Small helpers shared by the simulated kubelet's streaming endpoints (pod_sessions.cc,
// remote_commands.cc).

#include <algorithm>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/http_types.h"
#include "tests/sandbox/json_util.h"

namespace sandbox::sim {

// The kubelet's own errors reach clients as plain text with the kubelet's status code.
inline Response KubeletError(int code, std::string message) {
  Response r;
  r.code = code;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(message);
  return r;
}

// "name_namespace", as the kubelet names a pod in its messages.
inline std::string PodFullName(const Json& pod) {
  const Json& metadata = *Member(pod, "metadata");
  return Str(metadata, "name") + "_" + Str(metadata, "namespace");
}

// The SPDY subprotocol (X-Stream-Protocol-Version) for a raw upgrade, as httpstream.Handshake
// picks it: the first one the client offers that `supported` has; "" when the client offered
// none. Fails (Invalid) with the kubelet's text, which it answers with 403, when none matches.
inline mm::Result<std::string> NegotiateSpdyProtocol(const std::vector<std::string>& offered,
                                                     const std::vector<std::string>& supported) {
  if (offered.empty()) return std::string();
  for (const auto& protocol : offered) {
    if (std::find(supported.begin(), supported.end(), protocol) != supported.end()) {
      return protocol;
    }
  }
  auto join = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& p : list) out += (out.empty() ? "" : " ") + p;
    return out;
  };
  return mm::Error::Invalid("unable to upgrade: unable to negotiate protocol: client supports [" +
                            join(offered) + "], server supports [" + join(supported) + "]");
}

}  // namespace sandbox::sim
