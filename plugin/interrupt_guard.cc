#include "plugin/interrupt_guard.h"

#include <pthread.h>

#include <ctime>

namespace mm {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, &previous_);
  watcher_ = std::thread([this, signals] {
    timespec tick{0, 100 * 1000 * 1000};
    while (!stop_.load()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        token_.Cancel();
        return;
      }
    }
  });
}

InterruptGuard::~InterruptGuard() {
  stop_.store(true);
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace mm
