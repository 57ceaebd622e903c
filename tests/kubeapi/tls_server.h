#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "kubeapi/file_util.h"
#include "tests/kubeapi/temp_dir.h"

extern char** environ;  // NOLINT: POSIX global

namespace mm::kubeapi::testing {

// Test certificates made with the openssl CLI: a CA, a server certificate for 127.0.0.1 and
// kubernetes.default.svc, a client certificate (CN=alice) from the same CA, and an unrelated CA.
struct TestCertificates {
  std::string ca_pem;
  std::string other_ca_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string dir;
};

inline bool MakeCertificates(const TempDir& dir, TestCertificates& out) {
  const std::string d = dir.path();
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  dir.Write("ext", "subjectAltName=IP:127.0.0.1,DNS:kubernetes.default.svc\n");
  const std::vector<std::string> commands = {
      "openssl req -x509" + ec + "-keyout " + d + "/ca.key -out " + d +
          "/ca.crt -days 2 -subj /CN=ca",
      "openssl req -x509" + ec + "-keyout " + d + "/other.key -out " + d +
          "/other.crt -days 2 -subj /CN=other",
      "openssl req" + ec + "-keyout " + d + "/server.key -out " + d +
          "/server.csr -subj /CN=server",
      "openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.crt -CAkey " + d +
          "/ca.key -CAcreateserial -out " + d + "/server.crt -days 2 -extfile " + d + "/ext",
      "openssl req" + ec + "-keyout " + d + "/client.key -out " + d + "/client.csr -subj /CN=alice",
      "openssl x509 -req -in " + d + "/client.csr -CA " + d + "/ca.crt -CAkey " + d +
          "/ca.key -CAcreateserial -out " + d + "/client.crt -days 2",
  };
  for (const std::string& command : commands) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) return false;
  }
  auto read = [&](const char* name) {
    auto text = ReadFileContents(d + "/" + name);
    return text ? *text : std::string();
  };
  out = {read("ca.crt"), read("other.crt"), read("client.crt"), read("client.key"), d};
  return !out.ca_pem.empty() && !out.client_key_pem.empty();
}

// A server program run for one test: its output goes to `log` (a pipe nobody drains could block
// it), and port() is the number printed after `marker` ("ACCEPT 127.0.0.1:", "listening on ")
// within ten seconds, or 0. Killed when this object dies.
class ServerProcess {
 public:
  ServerProcess(std::vector<std::string> args, const std::string& log, const std::string& marker) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);  // its chatter too
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 200 && pid_ > 0 && port_ == 0; ++i) {
      ::usleep(50000);
      auto output = ReadFileContents(log);
      size_t at = output ? output->find(marker) : std::string::npos;
      if (at != std::string::npos && output->find('\n', at) != std::string::npos) {
        port_ = std::atoi(output->c_str() + at + marker.size());
      }
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// `openssl s_server -www` on 127.0.0.1 (any port): a TLS peer that answers every request with
// HTTP/1.0 200 and a page describing the session, including the client certificate it received.
// It offers no ALPN, so clients speak HTTP/1.x. It is OpenSSL's own test server, not ours.
class OpensslServer : public ServerProcess {
 public:
  // Starts the server with certificates from `dir`.
  explicit OpensslServer(const std::string& dir)
      : ServerProcess(
            {"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", dir + "/server.crt", "-key",
             dir + "/server.key", "-CAfile", dir + "/ca.crt", "-verify", "1", "-www"},
            dir + "/s_server.log", "ACCEPT 127.0.0.1:") {}
};

}  // namespace mm::kubeapi::testing
