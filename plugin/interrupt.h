#pragma once

#include <signal.h>

#include <atomic>
#include <thread>

#include "kubeapi/cancellation.h"

namespace mm {

// Ctrl-C for every command that runs long (wait, watch, logs -f, port-forward, upgrade, the local
// operator): while alive, SIGINT and SIGTERM are blocked in the calling thread (and so in every
// thread it starts afterwards) and taken by a watcher thread of its own. The first one only
// requests a stop: it cancels the token, and the command ends at a safe point (exit 130 through
// kInterrupted, or as the command documents). A second one means "now": the process exits at
// once with 130 after one line on stderr. The destructor stops the watcher and restores the
// signal mask. Create it on the command's thread before starting any other thread. Not copyable.
class InterruptGuard {
 public:
  // Cancels a token of its own (token()).
  InterruptGuard();
  // Cancels `cancel` (borrowed; must outlive the guard), which the command may also cancel for
  // reasons of its own.
  explicit InterruptGuard(kubeapi::CancellationToken& cancel);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The token a signal cancels.
  const kubeapi::CancellationToken& token() const { return cancel_; }
  // The signal that requested the stop (SIGINT or SIGTERM), 0 while none arrived.
  int signal() const { return signal_.load(); }
  // True when a signal (not some other cancel) stopped the command.
  bool interrupted() const { return signal() != 0; }

 private:
  void Start();

  kubeapi::CancellationToken own_;
  kubeapi::CancellationToken& cancel_;
  sigset_t previous_;
  std::atomic<int> signal_{0};
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

}  // namespace mm
