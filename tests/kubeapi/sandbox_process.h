#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/kubeapi/temp_dir.h"

extern char** environ;  // NOLINT: POSIX global

namespace mm::kubeapi::testing {

// A fresh kube-sandbox (the project's test API server, path compiled in as MM_KUBE_SANDBOX) on
// 127.0.0.1 with its kubeconfig in a temp dir; stopped with SIGTERM when this object dies, and
// killed by the kernel when this process dies without running destructors (--exit-with-parent:
// construct it on a thread that outlives it, as the parent-death signal follows the thread).
class SandboxProcess {
 public:
  explicit SandboxProcess(std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {MM_KUBE_SANDBOX,     "--listen",   "127.0.0.1:0",
                                     "--kubeconfig-out",  kubeconfig(), "--quiet",
                                     "--exit-with-parent"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int fds[2];
    if (::pipe(fds) != 0) {
      error_ = "pipe failed";
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    stdout_ = fds[0];
    std::string line;
    char c = 0;
    while (pid_ > 0 && ::read(stdout_, &c, 1) == 1 && c != '\n') line += c;
    const std::string prefix = "listening on ";
    if (line.rfind(prefix, 0) != 0) {
      error_ = "kube-sandbox did not start: \"" + line + "\"";
      return;
    }
    server_ = line.substr(prefix.size());
  }
  ~SandboxProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) ::close(stdout_);
  }
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& server() const { return server_; }  // https://127.0.0.1:PORT
  pid_t pid() const { return pid_; }
  std::string kubeconfig() const { return dir_.Path("kubeconfig"); }

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string server_;
  std::string error_;
};

}  // namespace mm::kubeapi::testing
