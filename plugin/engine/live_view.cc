#include "plugin/engine/live_view.h"

#include <algorithm>

#include "core/json.h"
#include "kubeapi/clock.h"

namespace mm::engine {

LiveView::LiveView(kubeapi::RestClient& client, std::vector<WatchSource> sources)
    : client_(client),
      sources_(std::move(sources)),
      objects_(sources_.size()),
      synced_(sources_.size(), false) {}

LiveView::~LiveView() {
  stop_.Cancel();
  for (std::thread& thread : threads_) thread.join();
}

void LiveView::Start() {
  for (size_t i = 0; i < sources_.size(); ++i) threads_.emplace_back([this, i] { Watch(i); });
}

void LiveView::Watch(size_t index) {
  const WatchSource& source = sources_[index];
  kubeapi::Informer informer(client_, source.mapping, source.namespace_name, source.selectors);
  auto handler = [&](const kubeapi::WatchEvent* event, const kubeapi::ObjectStore& store) {
    if (event != nullptr && event->type == kubeapi::WatchEventType::kBookmark) {
      return kubeapi::WatchDecision::kContinue;
    }
    if (event != nullptr && hook_) hook_(index, *event);
    std::vector<rapidjson::Document> copies;
    copies.reserve(store.size());
    for (const auto& [unused, object] : store) {
      copies.emplace_back().CopyFrom(object, copies.back().GetAllocator());
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      objects_[index] = std::move(copies);
      synced_[index] = true;
      ++version_;
    }
    changed_.notify_all();
    return kubeapi::WatchDecision::kContinue;
  };
  kubeapi::Clock& clock = kubeapi::RealClock();
  auto ran = informer.Run(handler, clock, clock.Now() + std::chrono::hours(24 * 365), &stop_);
  if (!ran && ran.error().kind() != ErrorKind::kInterrupted) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = ran.error();
      ++version_;
    }
    changed_.notify_all();
  }
}

uint64_t LiveView::WaitForChange(uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [&] {
    bool all_synced = std::all_of(synced_.begin(), synced_.end(), [](bool s) { return s; });
    return failure_.has_value() || (all_synced && version_ != seen);
  });
  return version_;
}

bool LiveView::Synced() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::all_of(synced_.begin(), synced_.end(), [](bool s) { return s; });
}

void LiveView::Poke() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++version_;
  }
  changed_.notify_all();
}

std::vector<rapidjson::Document> LiveView::Objects(size_t index) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<rapidjson::Document> copies;
  copies.reserve(objects_[index].size());
  for (const rapidjson::Document& object : objects_[index]) {
    copies.emplace_back().CopyFrom(object, copies.back().GetAllocator());
  }
  return copies;
}

std::optional<Error> LiveView::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

const rapidjson::Value* FindNamed(const std::vector<rapidjson::Document>& objects,
                                  const std::string& name) {
  for (const rapidjson::Document& object : objects) {
    const rapidjson::Value* metadata = FindMember(object, "metadata");
    if (metadata != nullptr && GetString(*metadata, "name") == name) return &object;
  }
  return nullptr;
}

}  // namespace mm::engine
