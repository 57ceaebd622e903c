#include "plugin/engine/cluster_reader.h"

#include "core/json.h"

namespace mm::engine {
namespace {

// Shares each item of `list`; the items keep the list document alive.
std::vector<SharedObject> ShareList(rapidjson::Document list) {
  auto owner = std::make_shared<const rapidjson::Document>(std::move(list));
  return ShareItems(owner, *owner);
}

std::string Scope(const kubeapi::ResourceMapping& mapping, const std::string& namespace_name) {
  return mapping.namespaced ? namespace_name : std::string();
}

}  // namespace

std::vector<SharedObject> ShareItems(const std::shared_ptr<const void>& owner,
                                     const rapidjson::Value& list) {
  std::vector<SharedObject> objects;
  const rapidjson::Value* items = FindMember(list, "items");
  if (items == nullptr || !items->IsArray()) return objects;
  objects.reserve(items->Size());
  for (const rapidjson::Value& item : items->GetArray()) objects.emplace_back(owner, &item);
  return objects;
}

Result<SharedObject> GetIfExists(kubeapi::Client& client, ClusterReader& reader,
                                 const std::string& api_version, const std::string& kind,
                                 const std::string& namespace_name, const std::string& name) {
  auto mapping = client.mapper().Mapping(api_version, kind);
  if (!mapping) return std::move(mapping).error();
  return reader.Get(*mapping, namespace_name, name);
}

Error NotFoundError(const kubeapi::ResourceMapping& mapping, const std::string& name) {
  ApiStatus status{.code = 404,
                   .reason = "NotFound",
                   .message = mapping.GroupResource() + " \"" + name + "\" not found",
                   .group = mapping.group,
                   .kind = mapping.resource,
                   .name = name};
  return Error::Api(std::move(status));
}

Result<SharedObject> LiveReader::Get(const kubeapi::ResourceMapping& mapping,
                                     const std::string& namespace_name, const std::string& name) {
  auto object = rest_.Get(mapping, Scope(mapping, namespace_name), name);
  if (!object && IsNotFound(object.error())) return SharedObject();
  if (!object) return std::move(object).error();
  return SharedObject(std::make_shared<const rapidjson::Document>(std::move(*object)));
}

Result<std::vector<SharedObject>> LiveReader::ListInstallation(
    const kubeapi::ResourceMapping& mapping, const std::string& namespace_name,
    const std::string& installation) {
  kubeapi::ListOptions options{.label_selector =
                                   std::string(kInstallationLabel) + "=" + installation};
  auto list = rest_.List(mapping, Scope(mapping, namespace_name), options);
  if (!list) return std::move(list).error();
  return ShareList(std::move(*list));
}

Result<SharedObject> MemoReader::Get(const kubeapi::ResourceMapping& mapping,
                                     const std::string& namespace_name, const std::string& name) {
  std::string key = mapping.GroupResource() + "/" + Scope(mapping, namespace_name) + "/" + name;
  if (auto found = answers_.find(key); found != answers_.end()) return found->second;
  auto object = inner_.Get(mapping, namespace_name, name);
  if (object) answers_[key] = *object;
  return object;
}

Result<void> CachedReader::Ensure(const kubeapi::ResourceMapping& mapping) {
  if (cache_.Synced(mapping.GroupResource())) return {};
  return load_(mapping);
}

Result<SharedObject> CachedReader::Get(const kubeapi::ResourceMapping& mapping,
                                       const std::string& namespace_name, const std::string& name) {
  MM_RETURN_IF_ERROR(Ensure(mapping));
  return cache_.Find(mapping.GroupResource(), Scope(mapping, namespace_name), name);
}

Result<std::vector<SharedObject>> CachedReader::ListInstallation(
    const kubeapi::ResourceMapping& mapping, const std::string& namespace_name,
    const std::string& installation) {
  MM_RETURN_IF_ERROR(Ensure(mapping));
  return cache_.FindInstallation(mapping.GroupResource(), Scope(mapping, namespace_name),
                                 installation);
}

CachedReader::Loader ListOnceLoader(kubeapi::RestClient& rest, ObjectCache& cache,
                                    std::string namespace_name) {
  return [&rest, &cache,
          namespace_name = std::move(namespace_name)](const kubeapi::ResourceMapping& mapping) {
    // One request per resource whatever the number of objects: no paging.
    auto list = rest.ListInPlace(mapping, Scope(mapping, namespace_name), {.limit = 0});
    if (!list) return Result<void>(std::move(list).error());
    cache.Replace(mapping.GroupResource(), ShareItems(*list, (*list)->document));
    return Result<void>();
  };
}

}  // namespace mm::engine
