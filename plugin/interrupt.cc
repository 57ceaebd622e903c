#include "plugin/interrupt.h"

#include <pthread.h>

#include <ctime>

namespace mm {
namespace {

sigset_t InterruptSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

InterruptWatcher::InterruptWatcher(kubeapi::CancellationToken& cancel) : cancel_(cancel) {
  sigset_t signals = InterruptSignals();
  pthread_sigmask(SIG_BLOCK, &signals, &previous_);
  thread_ = std::thread([this, signals] {
    timespec tick{0, 100 * 1000 * 1000};
    while (!stopping_.load()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        interrupted_ = true;
        cancel_.Cancel();
        return;
      }
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  stopping_ = true;
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace mm
