#include "plugin/engine/object_cache.h"

#include "core/json.h"

namespace mm::engine {
namespace {

std::string KeyOf(const rapidjson::Value& object, std::string* installation) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  if (metadata == nullptr) return {};
  std::string namespace_name = GetString(*metadata, "namespace");
  if (installation != nullptr) {
    const rapidjson::Value* labels = FindMember(*metadata, "labels");
    std::string value = labels ? GetString(*labels, kInstallationLabel) : "";
    *installation = value.empty() ? "" : namespace_name + "/" + value;
  }
  return namespace_name + "/" + GetString(*metadata, "name");
}

}  // namespace

void ObjectCache::Insert(Resource& resource, SharedObject object) {
  std::string installation;
  std::string key = KeyOf(*object, &installation);
  Erase(resource, key);
  if (!installation.empty()) resource.by_installation[installation][key] = object;
  resource.by_key[key] = std::move(object);
}

void ObjectCache::Erase(Resource& resource, const std::string& key) {
  auto found = resource.by_key.find(key);
  if (found == resource.by_key.end()) return;
  std::string installation;
  KeyOf(*found->second, &installation);
  if (auto group = resource.by_installation.find(installation);
      group != resource.by_installation.end()) {
    group->second.erase(key);
    if (group->second.empty()) resource.by_installation.erase(group);
  }
  resource.by_key.erase(found);
}

void ObjectCache::Replace(const std::string& resource, std::vector<SharedObject> objects) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Resource& entry = resources_[resource];
    entry = Resource{};
    for (SharedObject& object : objects) Insert(entry, std::move(object));
    entry.synced = true;
  }
  synced_.notify_all();
}

void ObjectCache::Put(const std::string& resource, SharedObject object) {
  std::lock_guard<std::mutex> lock(mutex_);
  Insert(resources_[resource], std::move(object));
}

void ObjectCache::Remove(const std::string& resource, const rapidjson::Value& object) {
  std::lock_guard<std::mutex> lock(mutex_);
  Erase(resources_[resource], KeyOf(object, nullptr));
}

bool ObjectCache::Synced(const std::string& resource) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = resources_.find(resource);
  return found != resources_.end() && found->second.synced;
}

bool ObjectCache::WaitSynced(const std::string& resource,
                             const kubeapi::CancellationToken* cancel) const {
  std::unique_lock<std::mutex> lock(mutex_);
  auto synced = [&] {
    auto found = resources_.find(resource);
    return found != resources_.end() && found->second.synced;
  };
  // The token has its own condition variable: look at it every 100 ms.
  while (!synced_.wait_for(lock, std::chrono::milliseconds(100), synced)) {
    if (cancel != nullptr && cancel->IsCancelled()) return false;
  }
  return true;
}

SharedObject ObjectCache::Find(const std::string& resource, const std::string& namespace_name,
                               const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto entry = resources_.find(resource);
  if (entry == resources_.end()) return nullptr;
  auto found = entry->second.by_key.find(namespace_name + "/" + name);
  return found == entry->second.by_key.end() ? nullptr : found->second;
}

std::vector<SharedObject> ObjectCache::FindInstallation(const std::string& resource,
                                                        const std::string& namespace_name,
                                                        const std::string& installation) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SharedObject> objects;
  auto entry = resources_.find(resource);
  if (entry == resources_.end()) return objects;
  auto group = entry->second.by_installation.find(namespace_name + "/" + installation);
  if (group == entry->second.by_installation.end()) return objects;
  for (const auto& [key, object] : group->second) objects.push_back(object);
  return objects;
}

std::vector<SharedObject> ObjectCache::Objects(const std::string& resource) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SharedObject> objects;
  auto entry = resources_.find(resource);
  if (entry == resources_.end()) return objects;
  for (const auto& [key, object] : entry->second.by_key) objects.push_back(object);
  return objects;
}

}  // namespace mm::engine
