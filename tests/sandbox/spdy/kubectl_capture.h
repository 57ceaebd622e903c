#pragma once

#include <string>

namespace sandbox::spdy::testdata {

// The first 108 bytes real kubectl 1.32 sent after `101 Switching Protocols` on a raw SPDY
// port-forward (KUBECTL_PORT_FORWARD_WEBSOCKETS=false, `port-forward pod/web 18996:8065`, two
// local connections, a server that never replied): SYN_STREAM 1 {streamtype: error, port: 8065,
// requestid: 0}, SYN_STREAM 3 {streamtype: error, port: 8065, requestid: 1} (kubectl opens a
// data stream only after its error stream is answered) and PING 1. Both header blocks share one
// zlib context; only the first has the zlib header (78 f9, dictionary id e3c6a7c2).
inline std::string KubectlSynStreamsAndPing() {
  static const char kHex[] =
      "800300010000003d0000000100000000000078f9e3c6a7c202253a703a2b294a4dcc851625aca9a080861"
      "4cb45e01c606160062a84388b20d198094ade8c0600000000ffff8003000100000013000000030000000000"
      "00a244b321000000ffff800300060000000400000001";
  std::string out;
  for (size_t i = 0; kHex[i] != '\0' && kHex[i + 1] != '\0'; i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(kHex + i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace sandbox::spdy::testdata
