#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mm::kubeapi {

// A stop request shared between the caller (e.g. a SIGINT handler's thread) and in-flight requests
// and streams, which poll it and abort promptly. Thread-safe; Cancel() is idempotent.
class CancellationToken {
 public:
  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
    }
    changed_.notify_all();
  }
  bool IsCancelled() const { return cancelled_.load(); }

  // Waits up to `duration` for a cancellation; returns true when cancelled.
  bool WaitFor(std::chrono::milliseconds duration) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, duration, [this] { return cancelled_.load(); });
  }

 private:
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
};

}  // namespace mm::kubeapi
