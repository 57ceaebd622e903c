#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "core/json.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/informer.h"

namespace mm {

// Returns true when `pod` can take connections: phase Running, condition Ready True, and not
// being deleted.
bool IsPodReady(const rapidjson::Value& pod);

// The ready pods of one installation, kept current from an informer's store, and which of them
// new connections go to. Thread-safe: the informer thread updates, the accept thread picks.
class ReadyPods {
 public:
  // Replaces the set with the ready pods of `store`.
  void Update(const kubeapi::ObjectStore& store);

  // Returns the pod new connections go to: the previous choice while it stays ready, else the
  // first ready pod by name; "" when no pod is ready.
  std::string Pick();

  // Waits until some pod is ready. Returns false when `cancel` fired or `deadline` passed first.
  bool WaitForReady(std::chrono::steady_clock::time_point deadline,
                    const kubeapi::CancellationToken& cancel);

  // Waits until the first Update (the informer's first list). Returns false like WaitForReady.
  bool WaitForSync(std::chrono::steady_clock::time_point deadline,
                   const kubeapi::CancellationToken& cancel);

 private:
  template <typename Predicate>
  bool WaitUntil(std::chrono::steady_clock::time_point deadline,
                 const kubeapi::CancellationToken& cancel, Predicate done);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<std::string> ready_;
  std::string current_;
  bool synced_ = false;
};

}  // namespace mm
