#include "kubeapi/discovery_documents.h"

#include <map>

#include "core/json.h"
#include "core/json_builder.h"

namespace mm::kubeapi {

const char kDiscoveryAccept[] =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json";

namespace {

std::string_view Trim(std::string_view text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(start, end - start + 1);
}

std::vector<std::string> Strings(const rapidjson::Value& object, std::string_view name) {
  std::vector<std::string> out;
  const rapidjson::Value* array = FindMember(object, name);
  if (array == nullptr || !array->IsArray()) return out;
  for (const rapidjson::Value& item : array->GetArray()) {
    if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

const rapidjson::Value* Array(const rapidjson::Value& object, std::string_view name) {
  const rapidjson::Value* array = FindMember(object, name);
  return array != nullptr && array->IsArray() ? array : nullptr;
}

Result<rapidjson::Document> ParseObject(std::string_view body, std::string_view kind) {
  Result<rapidjson::Document> document = ParseJson(body, kind);
  if (!document) return std::move(document).error();
  if (!document->IsObject()) return Error::Invalid(std::string(kind) + " is not a JSON object");
  return document;
}

// One resource of an aggregated document (APIResourceDiscovery).
DiscoveredResource AggregatedResource(const rapidjson::Value& entry, const std::string& group,
                                      const std::string& version) {
  DiscoveredResource out;
  const rapidjson::Value* kind = FindMember(entry, "responseKind");
  out.mapping = {group, version, GetString(entry, "resource"),
                 kind != nullptr ? GetString(*kind, "kind") : "",
                 GetString(entry, "scope") == "Namespaced"};
  out.singular = GetString(entry, "singularResource");
  out.short_names = Strings(entry, "shortNames");
  out.verbs = Strings(entry, "verbs");
  out.categories = Strings(entry, "categories");
  if (const rapidjson::Value* subs = Array(entry, "subresources")) {
    for (const rapidjson::Value& sub : subs->GetArray()) {
      const rapidjson::Value* sub_kind = FindMember(sub, "responseKind");
      DiscoveredSubresource subresource{GetString(sub, "subresource"), group, "", "",
                                        Strings(sub, "verbs")};
      if (sub_kind != nullptr) {
        subresource.group = GetString(*sub_kind, "group");
        subresource.version = GetString(*sub_kind, "version");
        subresource.kind = GetString(*sub_kind, "kind");
        if (subresource.group == group && subresource.version == version) {
          subresource.version.clear();
        }
      }
      if (subresource.version.empty()) subresource.group = group;
      out.subresources.push_back(std::move(subresource));
    }
  }
  return out;
}

}  // namespace

bool IsAggregatedDiscovery(std::string_view content_type) {
  size_t semicolon = content_type.find(';');
  if (Trim(content_type.substr(0, semicolon)) != "application/json") return false;
  std::map<std::string, std::string, std::less<>> params;
  while (semicolon != std::string_view::npos) {
    size_t next = content_type.find(';', semicolon + 1);
    std::string_view param = content_type.substr(
        semicolon + 1, next == std::string_view::npos ? next : next - semicolon - 1);
    size_t equals = param.find('=');
    if (equals != std::string_view::npos) {
      params[std::string(Trim(param.substr(0, equals)))] =
          std::string(Trim(param.substr(equals + 1)));
    }
    semicolon = next;
  }
  auto is = [&](const char* key, std::string_view value) {
    auto it = params.find(key);
    return it != params.end() && it->second == value;
  };
  return is("g", "apidiscovery.k8s.io") && is("as", "APIGroupDiscoveryList") &&
         (is("v", "v2") || is("v", "v2beta1"));
}

Result<std::vector<DiscoveredGroupVersion>> ParseAggregatedDiscovery(std::string_view body) {
  Result<rapidjson::Document> document = ParseObject(body, "APIGroupDiscoveryList");
  if (!document) return std::move(document).error();
  if (GetString(*document, "kind") != "APIGroupDiscoveryList") {
    return Error::Invalid("expected an APIGroupDiscoveryList, got kind \"" +
                          GetString(*document, "kind") + "\"");
  }
  std::vector<DiscoveredGroupVersion> out;
  const rapidjson::Value* items = Array(*document, "items");
  if (items == nullptr) return out;
  for (const rapidjson::Value& item : items->GetArray()) {
    const rapidjson::Value* metadata = FindMember(item, "metadata");
    std::string group = metadata != nullptr ? GetString(*metadata, "name") : "";
    const rapidjson::Value* versions = Array(item, "versions");
    if (versions == nullptr) continue;
    for (const rapidjson::Value& version : versions->GetArray()) {
      DiscoveredGroupVersion group_version{group, GetString(version, "version"), {}};
      if (group_version.version.empty()) continue;
      if (const rapidjson::Value* resources = Array(version, "resources")) {
        for (const rapidjson::Value& resource : resources->GetArray()) {
          DiscoveredResource parsed = AggregatedResource(resource, group, group_version.version);
          if (!parsed.mapping.resource.empty()) group_version.resources.push_back(parsed);
        }
      }
      out.push_back(std::move(group_version));
    }
  }
  return out;
}

Result<std::vector<DiscoveredGroupVersion>> ParseLegacyGroups(std::string_view body, bool core) {
  Result<rapidjson::Document> document = ParseObject(body, core ? "APIVersions" : "APIGroupList");
  if (!document) return std::move(document).error();
  std::vector<DiscoveredGroupVersion> out;
  if (core) {
    for (std::string& version : Strings(*document, "versions")) out.push_back({"", version, {}});
    return out;
  }
  const rapidjson::Value* groups = Array(*document, "groups");
  if (groups == nullptr) return out;
  for (const rapidjson::Value& group : groups->GetArray()) {
    std::string name = GetString(group, "name");
    const rapidjson::Value* preferred = FindMember(group, "preferredVersion");
    std::string preferred_version = preferred ? GetString(*preferred, "version") : "";
    std::vector<std::string> versions;
    if (const rapidjson::Value* list = Array(group, "versions")) {
      for (const rapidjson::Value& version : list->GetArray()) {
        std::string v = GetString(version, "version");
        if (v.empty()) continue;
        if (v == preferred_version) {
          versions.insert(versions.begin(), v);
        } else {
          versions.push_back(v);
        }
      }
    }
    for (std::string& version : versions) out.push_back({name, std::move(version), {}});
  }
  return out;
}

Result<void> ParseResourceList(std::string_view body, DiscoveredGroupVersion& group_version) {
  Result<rapidjson::Document> document = ParseObject(body, "APIResourceList");
  if (!document) return std::move(document).error();
  const rapidjson::Value* resources = Array(*document, "resources");
  if (resources == nullptr) return {};
  const std::string& group = group_version.group;
  const std::string& version = group_version.version;
  for (const rapidjson::Value& resource : resources->GetArray()) {
    std::string name = GetString(resource, "name");
    const rapidjson::Value* namespaced = FindMember(resource, "namespaced");
    size_t slash = name.find('/');
    if (slash == std::string::npos) {
      if (name.empty()) continue;
      group_version.resources.push_back(
          {{group, version, name, GetString(resource, "kind"),
            namespaced != nullptr && namespaced->IsBool() && namespaced->GetBool()},
           GetString(resource, "singularName"),
           Strings(resource, "shortNames"),
           Strings(resource, "verbs"),
           Strings(resource, "categories"),
           {}});
      continue;
    }
    // Subresources follow their parent in the list; one whose parent is absent is dropped.
    std::string parent = name.substr(0, slash);
    for (DiscoveredResource& owner : group_version.resources) {
      if (owner.mapping.resource != parent) continue;
      std::string sub_version = GetString(resource, "version");
      owner.subresources.push_back(
          {name.substr(slash + 1), sub_version.empty() ? group : GetString(resource, "group"),
           sub_version, GetString(resource, "kind"), Strings(resource, "verbs")});
      break;
    }
  }
  return {};
}

namespace {

Json StringArray(const std::vector<std::string>& values) {
  std::vector<Json> items(values.begin(), values.end());
  return Json::Array(std::move(items));
}

Json GroupVersionEntry(const std::string& group, const std::string& version) {
  return Json::Object(
      {{"groupVersion", group.empty() ? version : group + "/" + version}, {"version", version}});
}

}  // namespace

std::string GroupListJson(const DiscoverySnapshot& snapshot) {
  std::vector<Json> groups;
  for (size_t i = 0; i < snapshot.group_versions.size();) {
    const std::string& group = snapshot.group_versions[i].group;
    std::vector<Json> versions;
    size_t first = i;
    for (; i < snapshot.group_versions.size() && snapshot.group_versions[i].group == group; ++i) {
      versions.push_back(GroupVersionEntry(group, snapshot.group_versions[i].version));
    }
    groups.push_back(Json::Object(
        {{"name", group},
         {"versions", Json::Array(std::move(versions))},
         {"preferredVersion", GroupVersionEntry(group, snapshot.group_versions[first].version)}}));
  }
  return ToJson(Json::Object({{"kind", "APIGroupList"},
                              {"apiVersion", "v1"},
                              {"groups", Json::Array(std::move(groups))}})
                    .BuildDocument());
}

std::string ResourceListJson(const DiscoveredGroupVersion& group_version) {
  std::vector<Json> resources;
  for (const DiscoveredResource& resource : group_version.resources) {
    const ResourceMapping& mapping = resource.mapping;
    resources.push_back(Json::Object(
        {{"name", mapping.resource},
         {"singularName", resource.singular},
         {"namespaced", mapping.namespaced},
         {"kind", mapping.kind},
         {"verbs", StringArray(resource.verbs)},
         {"shortNames", Json::If(!resource.short_names.empty(), StringArray(resource.short_names))},
         {"categories",
          Json::If(!resource.categories.empty(), StringArray(resource.categories))}}));
    for (const DiscoveredSubresource& sub : resource.subresources) {
      resources.push_back(Json::Object({{"name", mapping.resource + "/" + sub.name},
                                        {"singularName", ""},
                                        {"namespaced", mapping.namespaced},
                                        {"group", Json::If(!sub.version.empty(), sub.group)},
                                        {"version", Json::If(!sub.version.empty(), sub.version)},
                                        {"kind", sub.kind},
                                        {"verbs", StringArray(sub.verbs)}}));
    }
  }
  return ToJson(Json::Object({{"kind", "APIResourceList"},
                              {"apiVersion", "v1"},
                              {"groupVersion", group_version.GroupVersion()},
                              {"resources", Json::Array(std::move(resources))}})
                    .BuildDocument());
}

}  // namespace mm::kubeapi
