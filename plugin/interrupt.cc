#include "plugin/interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include <ctime>

#include "plugin/exit_code.h"

namespace mm {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// The second signal: no safe point to wait for any more. write(2) and _exit(2) only, since the
// command's threads still run (no stream or destructor is touched).
[[noreturn]] void ExitNow() {
  static constexpr char kMessage[] = "error: interrupted again: stopping at once\n";
  ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
  _exit(kExitInterrupted);
}

}  // namespace

InterruptGuard::InterruptGuard() : cancel_(own_) { Start(); }

InterruptGuard::InterruptGuard(kubeapi::CancellationToken& cancel) : cancel_(cancel) { Start(); }

void InterruptGuard::Start() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, &previous_);
  watcher_ = std::thread([this, signals] {
    timespec tick{0, 100 * 1000 * 1000};
    while (!stopping_.load()) {
      int signal = sigtimedwait(&signals, nullptr, &tick);
      if (signal <= 0) continue;
      if (signal_.exchange(signal) != 0) ExitNow();
      cancel_.Cancel();
    }
  });
}

InterruptGuard::~InterruptGuard() {
  stopping_ = true;
  watcher_.join();
  // A signal that came after the watcher's last look is taken here rather than left pending,
  // which would kill the process when the mask is restored.
  sigset_t signals = StopSignals();
  timespec now{0, 0};
  for (int signal; (signal = sigtimedwait(&signals, nullptr, &now)) > 0;) {
    if (signal_.exchange(signal) != 0) ExitNow();
    cancel_.Cancel();
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace mm
