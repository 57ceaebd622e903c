#include "plugin/install/operator_manifest.h"

#include <algorithm>
#include <set>

#include "core/json.h"
#include "core/json_builder.h"
#include "kubeapi/manifest_reader.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/install/operator_install.h"

namespace mm {
namespace {

Result<std::vector<OperatorObject>> ReadSource(const std::string& location,
                                               const ManifestReader& read) {
  std::vector<OperatorObject> objects;
  if (location.empty()) {
    for (rapidjson::Document& object : EmbeddedOperatorObjects()) {
      objects.push_back({std::move(object), "embedded"});
    }
    return objects;
  }
  auto text = read(location);
  if (!text) return std::move(text).error();
  auto parsed = kubeapi::ReadManifests(*text, location);
  if (!parsed) return std::move(parsed).error();
  for (rapidjson::Document& object : *parsed) objects.push_back({std::move(object), location});
  return objects;
}

// Sets the string at `path` below `value` to `to` when it is `from`.
void Replace(rapidjson::Value* value, std::initializer_list<const char*> path,
             const std::string& from, const std::string& to, rapidjson::Document& document) {
  for (const char* key : path) {
    if (value == nullptr || !value->IsObject()) return;
    auto member = value->FindMember(key);
    value = member == value->MemberEnd() ? nullptr : &member->value;
  }
  if (value != nullptr && value->IsString() && value->GetString() == from) {
    value->SetString(to.c_str(), static_cast<rapidjson::SizeType>(to.size()),
                     document.GetAllocator());
  }
}

// Applies `change` to each element of the array at `key` of `object`.
template <typename Change>
void ForEach(rapidjson::Value& object, const char* key, Change change) {
  auto member = object.FindMember(key);
  if (member == object.MemberEnd() || !member->value.IsArray()) return;
  for (rapidjson::Value& element : member->value.GetArray()) change(element);
}

int Rank(const std::string& kind) {
  static const std::vector<std::vector<std::string>> kOrder = {
      {"Namespace"},
      {"CustomResourceDefinition"},
      {"ServiceAccount", "ClusterRole", "Role", "PriorityClass", "StorageClass"},
      {"ClusterRoleBinding", "RoleBinding"},
      {"ConfigMap", "Secret", "PersistentVolumeClaim"},
      {"Service"},
      {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"},
      {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService"},
  };
  for (size_t rank = 0; rank < kOrder.size(); ++rank) {
    if (std::find(kOrder[rank].begin(), kOrder[rank].end(), kind) != kOrder[rank].end()) {
      return static_cast<int>(rank);
    }
  }
  return static_cast<int>(kOrder.size());
}

}  // namespace

std::string OperatorNamespaceIn(const std::vector<OperatorObject>& objects) {
  for (const auto& [object, unused] : objects) {
    const rapidjson::Value* metadata = FindMember(object, "metadata");
    if (GetString(object, "kind") == "Deployment" && metadata != nullptr &&
        GetString(*metadata, "name") == engine::kOperatorDeployment) {
      std::string ns = GetString(*metadata, "namespace");
      if (!ns.empty()) return ns;
    }
  }
  return engine::kOperatorNamespace;
}

void MoveToNamespace(rapidjson::Document& object, const std::string& from, const std::string& to) {
  if (!object.IsObject()) return;
  std::string kind = GetString(object, "kind");
  Replace(&object, {"metadata", "namespace"}, from, to, object);
  if (kind == "Namespace") Replace(&object, {"metadata", "name"}, from, to, object);
  if (kind == "ClusterRoleBinding" || kind == "RoleBinding") {
    ForEach(object, "subjects", [&](rapidjson::Value& subject) {
      if (GetString(subject, "kind") == "ServiceAccount") {
        Replace(&subject, {"namespace"}, from, to, object);
      }
    });
  }
  if (kind == "CustomResourceDefinition") {
    Replace(&object, {"spec", "conversion", "webhook", "clientConfig", "service", "namespace"},
            from, to, object);
  }
  if (kind == "MutatingWebhookConfiguration" || kind == "ValidatingWebhookConfiguration") {
    ForEach(object, "webhooks", [&](rapidjson::Value& webhook) {
      Replace(&webhook, {"clientConfig", "service", "namespace"}, from, to, object);
    });
  }
  if (kind == "APIService") Replace(&object, {"spec", "service", "namespace"}, from, to, object);
}

void AddMissingNamespaces(std::vector<OperatorObject>& objects) {
  std::set<std::string> created;
  std::vector<std::string> needed;
  for (const OperatorObject& entry : objects) {
    const rapidjson::Value* metadata = FindMember(entry.object, "metadata");
    if (metadata == nullptr) continue;
    if (GetString(entry.object, "kind") == "Namespace") {
      created.insert(GetString(*metadata, "name"));
      continue;
    }
    std::string ns = GetString(*metadata, "namespace");
    if (!ns.empty() && std::find(needed.begin(), needed.end(), ns) == needed.end()) {
      needed.push_back(ns);
    }
  }
  std::vector<OperatorObject> added;
  for (const std::string& ns : needed) {
    if (created.contains(ns)) continue;
    added.push_back({Json::Object({{"apiVersion", "v1"},
                                   {"kind", "Namespace"},
                                   {"metadata", Json::Object({{"name", ns}})}})
                         .BuildDocument(),
                     "needed by the manifests"});
  }
  objects.insert(objects.begin(), std::make_move_iterator(added.begin()),
                 std::make_move_iterator(added.end()));
}

void OrderForApply(std::vector<OperatorObject>& objects) {
  std::stable_sort(objects.begin(), objects.end(),
                   [](const OperatorObject& a, const OperatorObject& b) {
                     return Rank(GetString(a.object, "kind")) < Rank(GetString(b.object, "kind"));
                   });
}

Result<std::vector<OperatorObject>> LoadOperatorObjects(const OperatorSources& sources,
                                                        const ManifestReader& read) {
  std::vector<OperatorObject> all;
  for (const std::string& location : {sources.mysql, sources.minio}) {
    if (location.empty()) continue;
    auto objects = ReadSource(location, read);
    if (!objects) return std::move(objects).error();
    std::move(objects->begin(), objects->end(), std::back_inserter(all));
  }
  auto mattermost = ReadSource(sources.from, read);
  if (!mattermost) return std::move(mattermost).error();
  if (!sources.namespace_name.empty()) {
    std::string from = OperatorNamespaceIn(*mattermost);
    for (OperatorObject& entry : *mattermost) {
      MoveToNamespace(entry.object, from, sources.namespace_name);
    }
  }
  std::move(mattermost->begin(), mattermost->end(), std::back_inserter(all));
  AddMissingNamespaces(all);
  OrderForApply(all);
  return all;
}

}  // namespace mm
