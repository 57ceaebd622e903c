#pragma once

#include <signal.h>

#include <atomic>
#include <thread>

#include "kubeapi/cancellation.h"

namespace mm {

// Turns SIGINT/SIGTERM into a cancellation while alive: blocks both signals in the calling thread
// (and so in every thread it starts afterwards) and takes them on a thread of its own, which
// cancels `cancel`. The destructor stops that thread and restores the signal mask. Create it on
// the command's thread before starting any other thread.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(kubeapi::CancellationToken& cancel);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  // True when a signal (not some other cancel) stopped the command.
  bool interrupted() const { return interrupted_.load(); }

 private:
  kubeapi::CancellationToken& cancel_;
  sigset_t previous_;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace mm
