#include "tests/sandbox/watch.h"

#include "tests/sandbox/status.h"

namespace sandbox {

WatchStream::WatchStream(Store& store, ResourceType type, WatchOptions options,
                         EventRenderer render)
    : store_(store),
      type_(std::move(type)),
      options_(std::move(options)),
      render_(std::move(render)),
      last_bookmark_(std::chrono::steady_clock::now()) {}

WatchStream::~WatchStream() { Stop(); }

bool WatchStream::Matches(const ObjectPtr& object) const {
  if (object == nullptr) return false;
  const Json* metadata = Member(*object, "metadata");
  if (!options_.ns.empty() && (metadata == nullptr || Str(*metadata, "namespace") != options_.ns)) {
    return false;
  }
  return options_.filter.Matches(*object);
}

void WatchStream::Send(std::string_view type, const Json& object) {
  std::string line =
      R"({"type":")" + std::string(type) + R"(","object":)" + render_(object, first_) + "}\n";
  first_ = false;
  sink_->Write(std::move(line));
}

void WatchStream::SendBookmark(bool initial_events_end) {
  std::string line = R"({"type":"BOOKMARK","object":{"kind":")" + type_.kind +
                     R"(","apiVersion":")" + type_.ApiVersion() +
                     R"(","metadata":{"resourceVersion":")" + std::to_string(store_.rv()) + "\"";
  if (initial_events_end) line += R"(,"annotations":{"k8s.io/initial-events-end":"true"})";
  line += "}}}\n";
  sink_->Write(std::move(line));
  last_bookmark_ = std::chrono::steady_clock::now();
}

void WatchStream::Start(StreamSink* sink) {
  sink_ = sink;
  if (!options_.from_start && !options_.send_initial_events &&
      options_.from_rv < store_.oldest_rv()) {
    mm::ApiStatus gone = Expired("too old resource version: " + std::to_string(options_.from_rv) +
                                 " (" + std::to_string(store_.oldest_rv() + 1) + ")");
    sink_->Write(R"({"type":"ERROR","object":)" + StatusJson(gone) + "}\n");
    sink_->End();
    return;
  }
  store_.Subscribe(type_.StorageId(), this);
  subscribed_ = true;
  if (options_.from_start || options_.send_initial_events) {
    std::string prefix = options_.ns.empty() ? "" : options_.ns + "/";
    store_.Scan(type_.StorageId(), prefix, "", 0, [&](const std::string&, const ObjectPtr& o) {
      if (Matches(o)) Send("ADDED", *o);
      return true;
    });
    if (options_.send_initial_events) SendBookmark(true);
    return;
  }
  for (const Event* event : store_.EventsAfter(type_.StorageId(), options_.from_rv)) {
    OnEvent(*event);
  }
}

void WatchStream::OnEvent(const Event& event) {
  if (sink_ == nullptr || event.rv <= last_rv_) return;
  last_rv_ = event.rv;
  bool now = event.type != EventType::kDeleted && Matches(event.object);
  bool before = event.type != EventType::kAdded && Matches(event.previous);
  if (event.type == EventType::kDeleted) before = Matches(event.object);
  if (now && before) {
    Send("MODIFIED", *event.object);
  } else if (now) {
    Send("ADDED", *event.object);
  } else if (before) {
    Send("DELETED", *event.object);
  }
}

void WatchStream::Tick() {
  if (sink_ == nullptr || !options_.bookmarks || !subscribed_) return;
  if (std::chrono::steady_clock::now() - last_bookmark_ >= options_.bookmark_interval) {
    SendBookmark(false);
  }
}

void WatchStream::Stop() {
  if (subscribed_) store_.Unsubscribe(type_.StorageId(), this);
  subscribed_ = false;
  sink_ = nullptr;
}

}  // namespace sandbox
