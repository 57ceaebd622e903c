// Deletion: finalizers and deletionTimestamp, ownerReference garbage collection (background,
// foreground, orphan), namespace termination, and the reactions to committed writes (CRDs
// start or stop being served, new namespaces get their default service account).
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/crd.h"

namespace sandbox {
namespace {

bool HasFinalizers(const Json& object) {
  const Json* f = AtPath(object, "metadata.finalizers");
  return f != nullptr && f->IsArray() && !f->Empty();
}

// Removes the ownerReference to `uid`; returns how many references remain.
size_t DropOwner(rapidjson::Document& object, const std::string& uid) {
  Json* refs = MutableMember(Child(object, "metadata", object.GetAllocator()), "ownerReferences");
  if (refs == nullptr || !refs->IsArray()) return 0;
  for (auto it = refs->Begin(); it != refs->End();) {
    it = Str(*it, "uid") == uid ? refs->Erase(it) : it + 1;
  }
  size_t left = refs->Size();
  if (left == 0) Remove(Child(object, "metadata", object.GetAllocator()), "ownerReferences");
  return left;
}

}  // namespace

ObjectPtr ApiServer::DeleteObject(const ResourceType& type, const ObjectPtr& object,
                                  const std::string& propagation) {
  const Json& metadata = *Member(*object, "metadata");
  std::string ns = Str(metadata, "namespace");
  std::string name = Str(metadata, "name");
  std::string uid = Str(metadata, "uid");
  std::string key = ObjectKey(ns, name);
  bool is_namespace = type.plural == "namespaces" && type.group.empty();
  bool foreground = propagation == "Foreground";
  if (is_namespace || foreground || HasFinalizers(*object)) {
    ObjectPtr current = object;
    if (AtPath(*object, "metadata.deletionTimestamp") == nullptr || foreground) {
      rapidjson::Document marked = Clone(*object);
      Alloc& alloc = marked.GetAllocator();
      Json& m = Child(marked, "metadata", alloc);
      if (!Member(m, "deletionTimestamp")) {
        SetString(m, "deletionTimestamp", Now(), alloc);
        SetInt(m, "deletionGracePeriodSeconds", 0, alloc);
      }
      if (is_namespace) SetString(Child(marked, "status", alloc), "phase", "Terminating", alloc);
      if (foreground) {
        Json& finalizers = Child(m, "finalizers", alloc);
        if (!finalizers.IsArray()) finalizers.SetArray();
        finalizers.PushBack("foregroundDeletion", alloc);
      }
      current = store_.Put(type.StorageId(), key, std::move(marked));
    }
    if (is_namespace) {
      FinishNamespace(name);
      ObjectPtr after = store_.Get(type.StorageId(), key);
      return after ? after : current;
    }
    if (!foreground) return current;
    // Foreground: dependents go first, then the owner loses its foregroundDeletion finalizer.
    CollectGarbage(uid, "Background");
    rapidjson::Document done = Clone(*current);
    Json* finalizers = MutableMember(Child(done, "metadata", done.GetAllocator()), "finalizers");
    for (auto it = finalizers->Begin(); it != finalizers->End();) {
      it = StrView(*it) == "foregroundDeletion" ? finalizers->Erase(it) : it + 1;
    }
    if (!finalizers->Empty()) return store_.Put(type.StorageId(), key, std::move(done));
    ObjectPtr removed = store_.Delete(type.StorageId(), key);
    AfterCommit(type, object, nullptr);
    return removed;
  }
  ObjectPtr removed = store_.Delete(type.StorageId(), key);
  if (removed == nullptr) return object;
  AfterCommit(type, object, nullptr);
  CollectGarbage(uid, propagation);
  if (!ns.empty()) {
    ObjectPtr owner_ns = store_.Get("/namespaces", ObjectKey("", ns));
    if (owner_ns && AtPath(*owner_ns, "metadata.deletionTimestamp")) FinishNamespace(ns);
  }
  return removed;
}

void ApiServer::CollectGarbage(const std::string& owner_uid, const std::string& propagation) {
  if (owner_uid.empty()) return;
  std::vector<std::pair<std::string, ObjectPtr>> dependents;
  for (const auto& [id, key] : store_.Dependents(owner_uid)) {
    if (ObjectPtr o = store_.Get(id, key)) dependents.emplace_back(id, o);
  }
  for (auto& [id, dependent] : dependents) {
    const ResourceType* type = registry_.FindStorage(id);
    if (type == nullptr) continue;
    ResourceType copy = *type;
    rapidjson::Document updated = Clone(*dependent);
    size_t remaining = DropOwner(updated, owner_uid);
    if (propagation == "Orphan" || remaining > 0) {
      const Json& m = *Member(updated, "metadata");
      store_.Put(id, ObjectKey(Str(m, "namespace"), Str(m, "name")), std::move(updated));
    } else {
      DeleteObject(copy, dependent, "Background");
    }
  }
}

void ApiServer::FinishNamespace(const std::string& ns) {
  if (!finishing_namespaces_.insert(ns).second) return;
  std::string prefix = ns + "/";
  bool empty = true;
  for (const std::string& id : store_.StorageIds()) {
    const ResourceType* type = registry_.FindStorage(id);
    if (type == nullptr || !type->namespaced) continue;
    ResourceType copy = *type;
    std::vector<ObjectPtr> victims;
    store_.Scan(id, prefix, "", 0, [&](const std::string&, const ObjectPtr& o) {
      victims.push_back(o);
      return true;
    });
    for (const ObjectPtr& victim : victims) {
      if (AtPath(*victim, "metadata.deletionTimestamp") == nullptr) {
        DeleteObject(copy, victim, "Background");
      }
    }
    store_.Scan(id, prefix, "", 0, [&](const std::string&, const ObjectPtr&) {
      empty = false;
      return false;
    });
  }
  // Objects with finalizers keep the namespace Terminating until they are gone.
  if (empty) store_.Delete("/namespaces", ObjectKey("", ns));
  finishing_namespaces_.erase(ns);
}

void ApiServer::AfterCommit(const ResourceType& type, const ObjectPtr& before,
                            const ObjectPtr& after) {
  if (type.group == "apiextensions.k8s.io" && type.plural == "customresourcedefinitions") {
    const Json& crd = after ? *after : *before;
    std::string name = Str(*Member(crd, "metadata"), "name");
    if (after && AtPath(*after, "metadata.deletionTimestamp") == nullptr) {
      registry_.SetCustom(name, TypesFromCrd(*after));
      return;
    }
    if (after) return;
    // The CRD is gone: so are its objects (and, through the garbage collector, what they own),
    // and the resource stops being served.
    std::vector<ResourceType> types = TypesFromCrd(crd);
    if (!types.empty()) {
      std::vector<std::pair<std::string, std::string>> objects;  // key, uid
      store_.Scan(types.front().StorageId(), "", "", 0,
                  [&](const std::string& key, const ObjectPtr& object) {
                    objects.emplace_back(key, Str(*Member(*object, "metadata"), "uid"));
                    return true;
                  });
      for (const auto& [key, uid] : objects) {
        store_.Delete(types.front().StorageId(), key);
        CollectGarbage(uid, "Background");
      }
    }
    registry_.SetCustom(name, {});
    return;
  }
  if (type.plural == "namespaces" && type.group.empty() && after && before == nullptr) {
    std::string ns = Str(*Member(*after, "metadata"), "name");
    rapidjson::Document sa(rapidjson::kObjectType);
    Alloc& alloc = sa.GetAllocator();
    SetString(sa, "apiVersion", "v1", alloc);
    SetString(sa, "kind", "ServiceAccount", alloc);
    Json& m = Child(sa, "metadata", alloc);
    SetString(m, "name", "default", alloc);
    SetString(m, "namespace", ns, alloc);
    SetString(m, "uid", NewUid(), alloc);
    SetString(m, "creationTimestamp", Now(), alloc);
    store_.Put("/serviceaccounts", ObjectKey(ns, "default"), std::move(sa));
  }
}

}  // namespace sandbox
