#pragma once
// The client side of a SOCKS5 proxy handshake (RFC 1928, with RFC 1929 user/password
// authentication), as bytes: the dialer writes these messages and reads the answers.

#include <string>

namespace mm::kubeapi {

// The greeting: offers "no authentication", and user/password too when `with_password`.
std::string Socks5Greeting(bool with_password);
// The user/password sub-negotiation; empty when either is longer than 255 bytes.
std::string Socks5Authentication(const std::string& user, const std::string& password);
// CONNECT to `host` (an IP literal, or a name the proxy resolves) on `port`.
std::string Socks5Connect(const std::string& host, int port);
// Go's words for a CONNECT reply code, e.g. "connection refused".
std::string Socks5ReplyText(unsigned char code);

}  // namespace mm::kubeapi
