#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "kubeapi/cancellation.h"
#include "kubeapi/clock.h"
#include "kubeapi/rest_client.h"

namespace mm::kubeapi {

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  rapidjson::Document object;  // the object (last state for DELETED), or a Status for ERROR
};

// Splits a watch response body into events. The body is a sequence of JSON objects; chunks may cut
// an event anywhere or carry several, so the splitter tracks strings and nesting rather than
// lines. Not thread-safe.
class WatchEventDecoder {
 public:
  // Feeds `chunk`, calling `emit` for each complete event in order. Returns false when an event is
  // malformed (error() says why) or `emit` returned false (stop requested).
  bool Feed(std::string_view chunk, const std::function<bool(WatchEvent&&)>& emit);
  const std::string& error() const { return error_; }

 private:
  std::string pending_;  // bytes of the event being assembled
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  std::string error_;
};

// Returns the metadata.resourceVersion of `object`, or "".
std::string ResourceVersionOf(const rapidjson::Value& object);

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // start after this version; "" = synthetic ADDED for all first
  std::chrono::seconds server_timeout{300};  // ?timeoutSeconds= of each watch request
};

// What a watch handler decides after an event.
enum class WatchDecision { kContinue, kStop };

// Watches `mapping` in `namespace_name` until `handler` returns kStop (success), `deadline`
// passes (kTimeout), or `cancel` fires (kInterrupted). BOOKMARK events only advance the
// resourceVersion; when the server ends the stream or the connection drops, the watch is resumed
// from the last resourceVersion seen (after a short backoff on errors). Fails with the 410 Gone
// Status (IsGone) when the resourceVersion is too old — the caller relists (see Informer) — and
// with other Status errors as they come.
Result<void> WatchResource(RestClient& client, const ResourceMapping& mapping,
                           const std::string& namespace_name, WatchOptions options,
                           const std::function<WatchDecision(const WatchEvent&)>& handler,
                           Clock& clock, Clock::TimePoint deadline,
                           const CancellationToken* cancel);

}  // namespace mm::kubeapi
