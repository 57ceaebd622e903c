#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/pod_logs.h"
#include "kubeapi/rest_client.h"

namespace mm {

// Receives one log line of `pod`'s `container`. Calls are serialized (never concurrent).
using LogLineSink = std::function<void(const std::string& pod, const std::string& container,
                                       std::string_view line)>;

// Returns the container whose log `logs` reads: `requested` when set, else the pod's
// kubectl.kubernetes.io/default-container annotation, else its first container.
std::string LogContainer(const rapidjson::Value& pod, const std::string& requested);

// Returns "" when `pod` has a container or init container named `container`, else why its log
// cannot be read: `container nope is not valid for pod demo-1: choose one of [mattermost]`.
std::string MissingContainer(const rapidjson::Value& pod, const std::string& container);

// True when `container` of `pod` has started (running, or terminated at least once), so its
// log can be read.
bool ContainerStarted(const rapidjson::Value& pod, const std::string& container);

// Follows the logs of pods as they are offered (kubectl logs -f per pod, all at once): each pod
// gets one stream on its own thread once its container has started; lines go to the sink with
// the pod's name. A stream that the server refuses (the container is still waiting) is tried
// again when the pod is offered with a new resourceVersion. The destructor cancels and joins
// every stream.
class PodLogStreams {
 public:
  // `client` must outlive the streams. `options` apply to every stream (follow should be set);
  // `on_end` runs (on the stream's thread) whenever a stream ends.
  PodLogStreams(kubeapi::RestClient& client, std::string namespace_name,
                kubeapi::PodLogOptions options, LogLineSink sink, std::function<void()> on_end);
  ~PodLogStreams();
  PodLogStreams(const PodLogStreams&) = delete;
  PodLogStreams& operator=(const PodLogStreams&) = delete;

  // Starts following `pod` unless it is followed already (or done). `initial` applies the
  // tail/since options (pods there when the command started); later pods are read in full.
  void Offer(const rapidjson::Value& pod, bool initial);
  // Streams still running.
  int Active() const;
  // True when `pod_name` was followed and its stream has ended.
  bool Ended(const std::string& pod_name) const;
  // The first stream error other than "container not started yet" or a cancellation.
  std::optional<Error> failure() const;

 private:
  enum class State { kStreaming, kEnded, kRetry };
  struct Entry {
    State state;
    std::string resource_version;  // for kRetry
  };
  void Follow(std::string pod, std::string container, kubeapi::PodLogOptions options);

  kubeapi::RestClient& client_;
  std::string namespace_;
  kubeapi::PodLogOptions options_;
  LogLineSink sink_;
  std::function<void()> on_end_;
  kubeapi::CancellationToken stop_;
  mutable std::mutex mutex_;           // guards the members below
  std::mutex sink_mutex_;              // serializes sink calls
  std::map<std::string, Entry> pods_;  // by pod name
  std::optional<Error> failure_;
  std::vector<std::thread> threads_;
};

}  // namespace mm
