#include "plugin/logs/pod_log_streams.h"

#include "core/json.h"

namespace mm {
namespace {

const rapidjson::Value* ContainerStatus(const rapidjson::Value& pod, const std::string& name) {
  for (const char* field : {"containerStatuses", "initContainerStatuses"}) {
    const rapidjson::Value* statuses = FindPath(pod, {"status", field});
    if (statuses == nullptr || !statuses->IsArray()) continue;
    for (const rapidjson::Value& status : statuses->GetArray()) {
      if (GetString(status, "name") == name) return &status;
    }
  }
  return nullptr;
}

}  // namespace

std::string LogContainer(const rapidjson::Value& pod, const std::string& requested) {
  if (!requested.empty()) return requested;
  const rapidjson::Value* annotations = FindPath(pod, {"metadata", "annotations"});
  std::string chosen =
      annotations ? GetString(*annotations, "kubectl.kubernetes.io/default-container") : "";
  if (!chosen.empty()) return chosen;
  const rapidjson::Value* containers = FindPath(pod, {"spec", "containers"});
  if (containers != nullptr && containers->IsArray() && !containers->Empty()) {
    return GetString((*containers)[0], "name");
  }
  return "";
}

std::string MissingContainer(const rapidjson::Value& pod, const std::string& container) {
  std::string names;
  for (const char* list : {"initContainers", "containers"}) {
    const rapidjson::Value* containers = FindPath(pod, {"spec", list});
    if (containers == nullptr || !containers->IsArray()) continue;
    for (const rapidjson::Value& entry : containers->GetArray()) {
      std::string name = GetString(entry, "name");
      if (name == container) return "";
      names += (names.empty() ? "" : " ") + name;
    }
  }
  const rapidjson::Value* metadata = FindMember(pod, "metadata");
  return "container " + container + " is not valid for pod " +
         (metadata ? GetString(*metadata, "name") : std::string()) + ": choose one of [" + names +
         "]";
}

bool ContainerStarted(const rapidjson::Value& pod, const std::string& container) {
  const rapidjson::Value* status = ContainerStatus(pod, container);
  if (status == nullptr) return false;
  return FindPath(*status, {"state", "running"}) != nullptr ||
         FindPath(*status, {"state", "terminated"}) != nullptr ||
         FindPath(*status, {"lastState", "terminated"}) != nullptr;
}

PodLogStreams::PodLogStreams(kubeapi::RestClient& client, std::string namespace_name,
                             kubeapi::PodLogOptions options, LogLineSink sink,
                             std::function<void()> on_end)
    : client_(client),
      namespace_(std::move(namespace_name)),
      options_(std::move(options)),
      sink_(std::move(sink)),
      on_end_(std::move(on_end)) {}

PodLogStreams::~PodLogStreams() {
  stop_.Cancel();
  for (std::thread& thread : threads_) thread.join();
}

void PodLogStreams::Offer(const rapidjson::Value& pod, bool initial) {
  const rapidjson::Value* metadata = FindMember(pod, "metadata");
  if (metadata == nullptr) return;
  std::string name = GetString(*metadata, "name");
  std::string version = GetString(*metadata, "resourceVersion");
  std::string container = LogContainer(pod, options_.container);
  if (container.empty() || !ContainerStarted(pod, container)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = pods_.find(name);
  if (found != pods_.end() &&
      (found->second.state != State::kRetry || found->second.resource_version == version)) {
    return;
  }
  pods_[name] = {State::kStreaming, version};
  kubeapi::PodLogOptions options = options_;
  options.container = container;
  if (!initial) {
    options.tail_lines.reset();
    options.since_seconds.reset();
    options.since_time.clear();
  }
  threads_.emplace_back([this, name, container, options] { Follow(name, container, options); });
}

void PodLogStreams::Follow(std::string pod, std::string container, kubeapi::PodLogOptions options) {
  auto on_line = [&](std::string_view line) {
    std::lock_guard<std::mutex> lock(sink_mutex_);
    sink_(pod, container, line);
    return true;
  };
  Result<void> streamed =
      kubeapi::StreamPodLogs(client_, namespace_, pod, options, on_line, &stop_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& entry = pods_[pod];
    entry.state = State::kEnded;
    if (!streamed && streamed.error().kind() != ErrorKind::kInterrupted) {
      // 400 "container ... is waiting to start" or a pod gone meanwhile: try again later.
      bool retry = streamed.error().kind() == ErrorKind::kApi &&
                   (streamed.error().status()->code == 400 || IsNotFound(streamed.error()));
      if (retry) {
        entry.state = State::kRetry;
      } else if (!failure_) {
        failure_ = streamed.error();
      }
    }
  }
  if (on_end_) on_end_();
}

int PodLogStreams::Active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int active = 0;
  for (const auto& [unused, entry] : pods_) active += entry.state == State::kStreaming ? 1 : 0;
  return active;
}

bool PodLogStreams::Ended(const std::string& pod_name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = pods_.find(pod_name);
  return found != pods_.end() && found->second.state != State::kStreaming;
}

std::optional<Error> PodLogStreams::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

}  // namespace mm
