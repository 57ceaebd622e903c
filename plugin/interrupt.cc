#include "plugin/interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
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

// Sent by the destructor to the watcher thread only, so that it ends at once (every command has a
// guard: `version --client` must not wait for a polling tick).
int WakeSignal() { return SIGRTMIN + 3; }

// The outermost live guard, the one whose watcher takes the signals. Guards are created and
// destroyed on the command's thread only.
InterruptGuard*& Active() {
  static InterruptGuard* active = nullptr;
  return active;
}

// No safe point to wait for: write(2) and _exit(2) only, since the command's threads still run
// (no stream or destructor is touched).
[[noreturn]] void ExitNow(bool again) {
  static constexpr char kAgain[] = "error: interrupted again: stopping at once\n";
  static constexpr char kOnce[] = "\nerror: interrupted\n";
  const char* message = again ? kAgain : kOnce;
  size_t size = again ? sizeof kAgain - 1 : sizeof kOnce - 1;
  ssize_t ignored = write(STDERR_FILENO, message, size);
  (void)ignored;
  _exit(kExitInterrupted);
}

}  // namespace

InterruptGuard::InterruptGuard() : cancel_(own_) { Start(); }

InterruptGuard::InterruptGuard(kubeapi::CancellationToken& cancel) : cancel_(cancel) { Start(); }

void InterruptGuard::Start() {
  if (InterruptGuard* outer = Active(); outer != nullptr) {
    outer_ = outer;
    outer->nested_ = true;
    std::lock_guard<std::mutex> lock(outer->mutex_);
    outer->inner_.push_back(&cancel_);
    if (outer->signal_.load() != 0) cancel_.Cancel();
    return;
  }
  Active() = this;
  sigset_t signals = StopSignals();
  sigaddset(&signals, WakeSignal());
  pthread_sigmask(SIG_BLOCK, &signals, &previous_);
  watcher_ = std::thread([this, signals] {
    while (!stopping_.load()) {
      int signal = sigwaitinfo(&signals, nullptr);
      if (signal == SIGINT || signal == SIGTERM) Take(signal);
    }
  });
}

void InterruptGuard::Take(int signal) {
  if (signal_.exchange(signal) != 0) ExitNow(true);
  if (exit_at_once_.load()) ExitNow(false);
  cancel_.Cancel();
  std::lock_guard<std::mutex> lock(mutex_);
  for (kubeapi::CancellationToken* inner : inner_) inner->Cancel();
}

InterruptGuard::~InterruptGuard() {
  if (outer_ != nullptr) {
    std::lock_guard<std::mutex> lock(outer_->mutex_);
    auto& inner = outer_->inner_;
    inner.erase(std::remove(inner.begin(), inner.end(), &cancel_), inner.end());
    return;
  }
  stopping_ = true;
  pthread_kill(watcher_.native_handle(), WakeSignal());
  watcher_.join();
  // A signal that came after the watcher's last look is taken here rather than left pending,
  // which would kill the process when the mask is restored.
  sigset_t signals = StopSignals();
  timespec now{0, 0};
  for (int signal; (signal = sigtimedwait(&signals, nullptr, &now)) > 0;) Take(signal);
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  Active() = nullptr;
}

InterruptGuard::ExitAtOnce::ExitAtOnce() {
  if (InterruptGuard* guard = Active(); guard != nullptr) {
    guard->exit_at_once_ = true;
    // A signal that came before: the command is already stopping, so stop here too.
    if (guard->signal_.load() != 0) ExitNow(false);
  }
}

InterruptGuard::ExitAtOnce::~ExitAtOnce() {
  if (InterruptGuard* guard = Active(); guard != nullptr) guard->exit_at_once_ = false;
}

}  // namespace mm
