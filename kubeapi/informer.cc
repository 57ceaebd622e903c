#include "kubeapi/informer.h"

#include "core/json.h"

namespace mm::kubeapi {
namespace {

WatchEvent SyntheticEvent(WatchEventType type, const rapidjson::Value& object) {
  WatchEvent event;
  event.type = type;
  event.object.CopyFrom(object, event.object.GetAllocator());
  return event;
}

}  // namespace

std::string StoreKey(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  if (metadata == nullptr) return {};
  std::string namespace_name = GetString(*metadata, "namespace");
  std::string name = GetString(*metadata, "name");
  return namespace_name.empty() ? name : namespace_name + "/" + name;
}

Informer::Informer(RestClient& client, ResourceMapping mapping, std::string namespace_name,
                   ListOptions selectors)
    : client_(client),
      mapping_(std::move(mapping)),
      namespace_name_(std::move(namespace_name)),
      selectors_(std::move(selectors)) {}

Result<std::string> Informer::Relist(const Handler& handler, bool& stop) {
  ListOptions options = selectors_;
  options.resource_version.clear();  // a consistent read: the cached version was too old
  Result<rapidjson::Document> list = client_.List(mapping_, namespace_name_, options);
  if (!list) return std::move(list).error();
  const bool first = !listed_;
  listed_ = true;
  ObjectStore fresh;
  for (rapidjson::Value& item : (*list)["items"].GetArray()) {
    rapidjson::Document copy;
    copy.CopyFrom(item, copy.GetAllocator());
    fresh.emplace(StoreKey(copy), std::move(copy));
  }
  // Turn the difference into events, so handlers see what happened while the watch was gone.
  std::vector<WatchEvent> events;
  if (!first) {
    for (const auto& [key, object] : store_) {
      if (fresh.count(key) == 0) events.push_back(SyntheticEvent(WatchEventType::kDeleted, object));
    }
    for (const auto& [key, object] : fresh) {
      auto old = store_.find(key);
      if (old == store_.end()) {
        events.push_back(SyntheticEvent(WatchEventType::kAdded, object));
      } else if (ResourceVersionOf(old->second) != ResourceVersionOf(object)) {
        events.push_back(SyntheticEvent(WatchEventType::kModified, object));
      }
    }
  }
  store_ = std::move(fresh);
  for (const WatchEvent& event : events) {
    if (handler(&event, store_) == WatchDecision::kStop) {
      stop = true;
      return std::string();
    }
  }
  stop = handler(nullptr, store_) == WatchDecision::kStop;
  return ResourceVersionOf(*list);
}

Result<void> Informer::Run(const Handler& handler, Clock& clock, Clock::TimePoint deadline,
                           const CancellationToken* cancel) {
  while (true) {
    bool stop = false;
    Result<std::string> version = Relist(handler, stop);
    if (!version) return std::move(version).error();
    if (stop) return {};
    WatchOptions options{selectors_.label_selector, selectors_.field_selector, *version};
    Result<void> watched = WatchResource(
        client_, mapping_, namespace_name_, options,
        [&](const WatchEvent& event) {
          std::string key = StoreKey(event.object);
          if (event.type == WatchEventType::kDeleted) {
            store_.erase(key);
          } else {
            rapidjson::Document copy;
            copy.CopyFrom(event.object, copy.GetAllocator());
            store_.insert_or_assign(key, std::move(copy));
          }
          return handler(&event, store_);
        },
        clock, deadline, cancel);
    if (watched || !IsGone(watched.error())) return watched;
    // 410: our version is too old; relist and watch again.
  }
}

Result<rapidjson::Document> WaitFor(RestClient& client, const ResourceMapping& mapping,
                                    const std::string& namespace_name, const std::string& name,
                                    const std::function<bool(const rapidjson::Value*)>& condition,
                                    Clock& clock, Clock::TimePoint deadline,
                                    const CancellationToken* cancel) {
  Informer informer(client, mapping, namespace_name,
                    {.field_selector = "metadata.name=" + name, .limit = 0});
  std::optional<rapidjson::Document> satisfied;
  auto check = [&](const WatchEvent*, const ObjectStore& store) {
    const rapidjson::Value* object = nullptr;
    for (const auto& [key, value] : store) {
      const rapidjson::Value* metadata = FindMember(value, "metadata");
      if (metadata != nullptr && GetString(*metadata, "name") == name) object = &value;
    }
    if (!condition(object)) return WatchDecision::kContinue;
    satisfied.emplace();
    if (object != nullptr) satisfied->CopyFrom(*object, satisfied->GetAllocator());
    return WatchDecision::kStop;
  };
  Result<void> ran = informer.Run(check, clock, deadline, cancel);
  if (!ran) {
    if (ran.error().kind() == ErrorKind::kTimeout) {
      return Error::Timeout("timed out waiting for the condition on " + mapping.resource + "/" +
                            name);
    }
    return std::move(ran).error();
  }
  return std::move(*satisfied);
}

}  // namespace mm::kubeapi
