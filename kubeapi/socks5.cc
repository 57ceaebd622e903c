#include "kubeapi/socks5.h"

#include <arpa/inet.h>

namespace mm::kubeapi {

std::string Socks5Greeting(bool with_password) {
  return with_password ? std::string("\x05\x02\x00\x02", 4) : std::string("\x05\x01\x00", 3);
}

std::string Socks5Authentication(const std::string& user, const std::string& password) {
  if (user.size() > 255 || password.size() > 255) return "";
  std::string message(1, '\x01');
  message += static_cast<char>(user.size());
  message += user;
  message += static_cast<char>(password.size());
  message += password;
  return message;
}

std::string Socks5Connect(const std::string& host, int port) {
  std::string message("\x05\x01\x00", 3);
  unsigned char v4[4];
  unsigned char v6[16];
  if (inet_pton(AF_INET, host.c_str(), v4) == 1) {
    message += '\x01';
    message.append(reinterpret_cast<const char*>(v4), sizeof v4);
  } else if (inet_pton(AF_INET6, host.c_str(), v6) == 1) {
    message += '\x04';
    message.append(reinterpret_cast<const char*>(v6), sizeof v6);
  } else {
    message += '\x03';
    message += static_cast<char>(host.size() > 255 ? 255 : host.size());
    message += host.substr(0, 255);
  }
  message += static_cast<char>((port >> 8) & 0xff);
  message += static_cast<char>(port & 0xff);
  return message;
}

std::string Socks5ReplyText(unsigned char code) {
  switch (code) {
    case 1:
      return "general SOCKS server failure";
    case 2:
      return "connection not allowed by ruleset";
    case 3:
      return "network unreachable";
    case 4:
      return "host unreachable";
    case 5:
      return "connection refused";
    case 6:
      return "TTL expired";
    case 7:
      return "command not supported";
    case 8:
      return "address type not supported";
    default:
      return "unknown code: " + std::to_string(code);
  }
}

}  // namespace mm::kubeapi
