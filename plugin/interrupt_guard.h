#pragma once

#include <signal.h>

#include <atomic>
#include <thread>

#include "kubeapi/cancellation.h"

namespace mm {

// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation request for as long as it lives, so a
// long-running command stops at a safe point instead of dying mid-request. Construct it before
// starting any thread: it blocks both signals in the calling thread (threads started later inherit
// the mask) and a watcher thread takes them and cancels token(). The destructor stops the watcher
// and restores the previous mask. Not copyable.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Cancelled when a signal arrived.
  const kubeapi::CancellationToken& token() const { return token_; }
  bool interrupted() const { return token_.IsCancelled(); }

 private:
  kubeapi::CancellationToken token_;
  sigset_t previous_;
  std::atomic<bool> stop_{false};
  std::thread watcher_;
};

}  // namespace mm
