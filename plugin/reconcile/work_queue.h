#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "kubeapi/cancellation.h"

namespace mm {

// How long a key waits after `failures` failed passes in a row (at least 1): 5 s, doubling with
// each failure, at most 5 min — controller-runtime's rate limiter, with a coarser start.
inline std::chrono::seconds FailureBackOff(int failures) {
  constexpr std::chrono::seconds kFirst(5);
  constexpr std::chrono::seconds kMax(300);
  int doublings = std::clamp(failures - 1, 0, 16);
  return std::min<std::chrono::seconds>(kFirst * (1 << doublings), kMax);
}

// The local operator's work queue (client-go's delaying workqueue, in short): keys due at a time.
// A key is queued at most once (the earliest due time wins) and handed to one worker at a time:
// while it is being processed, it waits. Thread-safe.
class WorkQueue {
 public:
  using Key = std::pair<std::string, std::string>;  // namespace, name
  using Clock = std::chrono::steady_clock;

  void Add(const Key& key, Clock::duration delay = Clock::duration::zero()) {
    std::lock_guard<std::mutex> lock(mutex_);
    Clock::time_point due = Clock::now() + delay;
    auto found = due_.find(key);
    if (found != due_.end() && found->second <= due) return;
    due_[key] = due;
    changed_.notify_all();
  }

  // Waits for a due key not being processed and marks it busy; false once `cancel` fired.
  bool Next(Key& key, const kubeapi::CancellationToken& cancel) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cancel.IsCancelled()) {
      Clock::time_point earliest = Clock::now() + std::chrono::milliseconds(200);
      for (const auto& [candidate, due] : due_) {
        if (busy_.contains(candidate)) continue;
        if (due <= Clock::now()) {
          key = candidate;
          due_.erase(candidate);
          busy_.insert(key);
          return true;
        }
        earliest = std::min(earliest, due);
      }
      changed_.wait_until(lock, earliest);
    }
    return false;
  }

  // Marks `key` no longer busy.
  void Done(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    busy_.erase(key);
    changed_.notify_all();
  }

  void Wake() { changed_.notify_all(); }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Key, Clock::time_point> due_;
  std::set<Key> busy_;
};

}  // namespace mm
