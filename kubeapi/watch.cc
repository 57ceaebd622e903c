#include "kubeapi/watch.h"

#include <algorithm>

#include "core/json.h"
#include "kubeapi/status_error.h"

namespace mm::kubeapi {
namespace {

bool ParseEventType(const std::string& text, WatchEventType& type) {
  if (text == "ADDED")
    type = WatchEventType::kAdded;
  else if (text == "MODIFIED")
    type = WatchEventType::kModified;
  else if (text == "DELETED")
    type = WatchEventType::kDeleted;
  else if (text == "BOOKMARK")
    type = WatchEventType::kBookmark;
  else if (text == "ERROR")
    type = WatchEventType::kError;
  else
    return false;
  return true;
}

}  // namespace

std::string ResourceVersionOf(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata == nullptr ? std::string() : GetString(*metadata, "resourceVersion");
}

bool WatchEventDecoder::Feed(std::string_view chunk,
                             const std::function<bool(WatchEvent&&)>& emit) {
  for (char c : chunk) {
    if (depth_ == 0 && !in_string_) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c != '{') {
        error_ = std::string("unexpected byte '") + c + "' between watch events";
        return false;
      }
    }
    pending_ += c;
    if (in_string_) {
      if (escaped_)
        escaped_ = false;
      else if (c == '\\')
        escaped_ = true;
      else if (c == '"')
        in_string_ = false;
      continue;
    }
    if (c == '"')
      in_string_ = true;
    else if (c == '{' || c == '[')
      ++depth_;
    else if (c == '}' || c == ']')
      --depth_;
    if (depth_ != 0) continue;
    Result<rapidjson::Document> document = ParseJson(pending_, "watch event");
    pending_.clear();
    if (!document) {
      error_ = document.error().message();
      return false;
    }
    WatchEvent event;
    if (!ParseEventType(GetString(*document, "type"), event.type)) {
      error_ = "watch event without a known type";
      return false;
    }
    auto object = document->FindMember("object");
    if (object != document->MemberEnd())
      event.object.CopyFrom(object->value, event.object.GetAllocator());
    if (!emit(std::move(event))) return false;
  }
  return true;
}

Result<void> WatchResource(RestClient& client, const ResourceMapping& mapping,
                           const std::string& namespace_name, WatchOptions options,
                           const std::function<WatchDecision(const WatchEvent&)>& handler,
                           Clock& clock, Clock::TimePoint deadline,
                           const CancellationToken* cancel) {
  std::string& resource_version = options.resource_version;
  int consecutive_failures = 0;
  while (true) {
    if (cancel != nullptr && cancel->IsCancelled()) return Error::Interrupted("interrupted");
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.Now());
    if (remaining.count() <= 0) return Error::Timeout("timed out waiting for the condition");
    auto server_timeout = std::min<std::chrono::seconds>(
        options.server_timeout, std::chrono::duration_cast<std::chrono::seconds>(
                                    remaining + std::chrono::milliseconds(999)));
    // Keys sorted, as Go's url.Values encodes them.
    QueryParams query = {{"allowWatchBookmarks", "true"}};
    if (!options.field_selector.empty())
      query.emplace_back("fieldSelector", options.field_selector);
    if (!options.label_selector.empty())
      query.emplace_back("labelSelector", options.label_selector);
    if (!resource_version.empty()) query.emplace_back("resourceVersion", resource_version);
    query.emplace_back("timeoutSeconds", std::to_string(server_timeout.count()));
    query.emplace_back("watch", "true");

    WatchEventDecoder decoder;
    bool stopped = false;
    std::optional<Error> event_error;
    auto on_event = [&](WatchEvent&& event) {
      if (event.type == WatchEventType::kError) {
        HttpResponse as_response;
        as_response.status = 500;
        as_response.body = ToJson(event.object);
        event_error = ErrorFromResponse(as_response, "GET");
        return false;
      }
      std::string version = ResourceVersionOf(event.object);
      if (!version.empty()) resource_version = version;
      if (event.type == WatchEventType::kBookmark) return true;
      if (handler(event) == WatchDecision::kStop) {
        stopped = true;
        return false;
      }
      return true;
    };
    RestRequest request{
        .path = ResourcePath(mapping, namespace_name),
        .query = query,
        .streaming = true,
        .timeout = remaining,
        .on_body = [&](std::string_view chunk) { return decoder.Feed(chunk, on_event); },
        .cancel = cancel};
    Result<HttpResponse> response = client.Do(request);
    if (stopped) return {};
    if (event_error) return *event_error;
    if (!decoder.error().empty()) return Error::Invalid("watch: " + decoder.error());
    if (response) {
      consecutive_failures = 0;  // the server ended the watch (timeoutSeconds): resume
      continue;
    }
    const Error& error = response.error();
    if (error.kind() != ErrorKind::kTransport) return error;
    if (clock.Now() >= deadline) return Error::Timeout("timed out waiting for the condition");
    // The connection dropped or could not be opened: resume from the last version after a pause.
    ++consecutive_failures;
    auto pause =
        std::chrono::milliseconds(std::min(5000, 250 * (1 << std::min(consecutive_failures, 5))));
    if (!clock.SleepFor(pause, cancel)) return Error::Interrupted("interrupted");
  }
}

}  // namespace mm::kubeapi
