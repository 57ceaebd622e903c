#include "plugin/port_forward/ready_pods.h"

namespace mm {

bool IsPodReady(const rapidjson::Value& pod) {
  const rapidjson::Value* metadata = FindMember(pod, "metadata");
  if (metadata == nullptr || FindMember(*metadata, "deletionTimestamp") != nullptr) return false;
  const rapidjson::Value* status = FindMember(pod, "status");
  if (status == nullptr || GetString(*status, "phase") != "Running") return false;
  const rapidjson::Value* conditions = FindMember(*status, "conditions");
  if (conditions == nullptr || !conditions->IsArray()) return false;
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "type") == "Ready") return GetString(condition, "status") == "True";
  }
  return false;
}

void ReadyPods::Update(const kubeapi::ObjectStore& store) {
  std::set<std::string> ready;
  for (const auto& [unused, pod] : store) {
    if (IsPodReady(pod)) ready.insert(GetString(pod["metadata"], "name"));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_ = std::move(ready);
    synced_ = true;
  }
  changed_.notify_all();
}

std::string ReadyPods::Pick() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ready_.count(current_) == 0) current_ = ready_.empty() ? "" : *ready_.begin();
  return current_;
}

template <typename Predicate>
bool ReadyPods::WaitUntil(std::chrono::steady_clock::time_point deadline,
                          const kubeapi::CancellationToken& cancel, Predicate done) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!done()) {
    // The token does not signal this condition variable: look at it every 100 ms.
    if (cancel.IsCancelled() || std::chrono::steady_clock::now() >= deadline) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(100));
  }
  return true;
}

bool ReadyPods::WaitForReady(std::chrono::steady_clock::time_point deadline,
                             const kubeapi::CancellationToken& cancel) {
  return WaitUntil(deadline, cancel, [this] { return !ready_.empty(); });
}

bool ReadyPods::WaitForSync(std::chrono::steady_clock::time_point deadline,
                            const kubeapi::CancellationToken& cancel) {
  return WaitUntil(deadline, cancel, [this] { return synced_; });
}

}  // namespace mm
