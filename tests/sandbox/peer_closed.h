#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace sandbox {

// True once the peer of the connected TCP socket `fd` closed its side, or the socket is gone.
// For code that stopped reading on purpose (flow control, a pod that reads nothing) and so cannot
// see the end of file.
inline bool PeerClosed(int fd) {
  tcp_info info{};
  socklen_t length = sizeof(info);
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return true;
  return info.tcpi_state == TCP_CLOSE_WAIT || info.tcpi_state == TCP_CLOSE ||
         info.tcpi_state == TCP_LAST_ACK;
}

}  // namespace sandbox
