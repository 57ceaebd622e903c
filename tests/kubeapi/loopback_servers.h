#pragma once
// Plain-socket servers on 127.0.0.1 for the transport tests: one that never answers and one that
// plays a script of raw HTTP answers, so every byte the client receives is chosen by the test.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace mm::kubeapi::testing {

// Returns a socket listening on 127.0.0.1 on a free port, stored in `port`.
inline int ListenOnLoopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(fd, 8);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

// A TCP socket on 127.0.0.1 that listens but never answers: the kernel completes connections, so
// clients connect, send and then wait. Not an HTTP server.
class SilentListener {
 public:
  SilentListener() { fd_ = ListenOnLoopback(port_); }
  ~SilentListener() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Accepts connections one after the other; on the i-th it answers each request head (requests
// carry no body here) with the next reply of script[i], then closes that connection. Keeps every
// request head. Join() waits for the script to end (or gives up when nobody connected).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::vector<std::string>> script) {
    fd_ = ListenOnLoopback(port_);
    thread_ = std::thread([this, script = std::move(script)] {
      for (const std::vector<std::string>& replies : script) {
        int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        Serve(client, replies);
        ::close(client);
      }
    });
  }
  ~ScriptedServer() { Join(); }
  void Join() {
    if (!thread_.joinable()) return;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept() when nobody came
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The request heads received, in order (after Join()).
  const std::vector<std::string>& requests() const { return requests_; }
  std::string request() const { return requests_.empty() ? "" : requests_[0]; }

 private:
  void Serve(int client, const std::vector<std::string>& replies) {
    std::string pending;
    char buffer[4096];
    for (const std::string& reply : replies) {
      ssize_t n = 0;
      while (pending.find("\r\n\r\n") == std::string::npos &&
             (n = ::read(client, buffer, sizeof buffer)) > 0) {
        pending.append(buffer, static_cast<size_t>(n));
      }
      size_t end = pending.find("\r\n\r\n");
      if (end == std::string::npos) return;  // the client went away
      requests_.push_back(pending.substr(0, end + 4));
      pending.erase(0, end + 4);
      for (size_t sent = 0; sent < reply.size();) {
        ssize_t written = ::write(client, reply.data() + sent, reply.size() - sent);
        if (written <= 0) return;
        sent += static_cast<size_t>(written);
      }
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// Sets an environment variable for one scope (e.g. HTTPS_PROXY while a transport is built).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

}  // namespace mm::kubeapi::testing
