// SandboxProcess's sandbox dies with the test process, however the test process dies: a test that
// crashes (a sanitizer halt, an abort) must not leave a kube-sandbox holding ctest's output pipe.
#include "tests/kubeapi/sandbox_process.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <chrono>
#include <thread>

namespace mm::kubeapi {
namespace {

using testing::SandboxProcess;

// Starts a child process that starts a SandboxProcess, reports the sandbox's pid on `report` and
// waits to be killed. Returns the child's pid.
pid_t StartParentOfSandbox(int report) {
  pid_t parent = ::fork();
  if (parent != 0) return parent;
  SandboxProcess sandbox;
  pid_t pid = sandbox.ok() ? sandbox.pid() : -1;
  if (::write(report, &pid, sizeof pid) != sizeof pid) ::_exit(1);
  for (;;) ::pause();
}

// Waits up to `limit` for the child `pid` to end; returns its wait status, or -1 if it still runs.
int WaitForExit(pid_t pid, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

TEST(SandboxProcessTest, TheSandboxDiesWhenTheProcessThatStartedItIsKilled) {
  // The orphaned sandbox is handed to this process (a subreaper), so the test can wait for it.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t parent = StartParentOfSandbox(fds[1]);
  ASSERT_GT(parent, 0);
  ::close(fds[1]);
  pid_t sandbox = -1;
  ASSERT_EQ(::read(fds[0], &sandbox, sizeof sandbox), static_cast<ssize_t>(sizeof sandbox));
  ::close(fds[0]);
  ASSERT_GT(sandbox, 0) << "the sandbox did not start";

  ::kill(parent, SIGKILL);  // no destructor runs: only the kernel can stop the sandbox now
  ASSERT_NE(WaitForExit(parent, std::chrono::seconds(60)), -1);
  // Generous: the kernel signals at once, but a loaded machine may be slow to schedule us.
  int status = WaitForExit(sandbox, std::chrono::seconds(60));
  if (status == -1) {
    ::kill(sandbox, SIGKILL);
    ::waitpid(sandbox, nullptr, 0);
  }
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  ASSERT_NE(status, -1) << "the sandbox outlived the process that started it";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "wait status " << status;
}

}  // namespace
}  // namespace mm::kubeapi
