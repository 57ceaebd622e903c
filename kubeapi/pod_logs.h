#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "kubeapi/rest_client.h"

namespace mm::kubeapi {

// kubectl logs' options (GET .../pods/<name>/log).
struct PodLogOptions {
  std::string container;  // "" lets the server choose (fails for multi-container pods)
  bool follow = false;
  bool previous = false;
  std::optional<int64_t> since_seconds;
  std::string since_time;  // RFC 3339; used when since_seconds is unset
  std::optional<int64_t> tail_lines;
  bool timestamps = false;
};

// Returns the log query parameters for `options`, keys sorted as Go encodes them.
QueryParams PodLogQuery(const PodLogOptions& options);

// Splits a byte stream into lines (without '\n', a trailing '\r' removed). Not thread-safe.
class LineSplitter {
 public:
  // Feeds `chunk`, calling `on_line` for each complete line; returns false when `on_line` did.
  bool Feed(std::string_view chunk, const std::function<bool(std::string_view)>& on_line);
  // Delivers a last line that had no '\n'; returns false when `on_line` did.
  bool Finish(const std::function<bool(std::string_view)>& on_line);

 private:
  std::string partial_;
};

// Streams the log of `pod`, calling `on_line` for every line as it arrives (with follow, until
// the container ends, `on_line` returns false, or `cancel` fires). Returns the server's Status for
// errors (e.g. 400 "container \"c\" in pod \"web\" is waiting to start: ContainerCreating"),
// kInterrupted when cancelled.
Result<void> StreamPodLogs(RestClient& client, const std::string& namespace_name,
                           const std::string& pod, const PodLogOptions& options,
                           const std::function<bool(std::string_view line)>& on_line,
                           const CancellationToken* cancel);

}  // namespace mm::kubeapi
