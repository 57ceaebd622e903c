#include "tests/sandbox/discovery.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

namespace sandbox {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}
void String(Writer& w, std::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void KeyString(Writer& w, std::string_view key, std::string_view value) {
  Key(w, key);
  String(w, value);
}
void StringArray(Writer& w, std::string_view key, const std::vector<std::string>& values) {
  Key(w, key);
  w.StartArray();
  for (const auto& v : values) String(w, v);
  w.EndArray();
}
std::string Done(const rapidjson::StringBuffer& buffer) {
  return {buffer.GetString(), buffer.GetSize()};
}

std::string GroupVersion(std::string_view group, std::string_view version) {
  return group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
}

void GroupVersionEntry(Writer& w, std::string_view group, std::string_view version) {
  w.StartObject();
  KeyString(w, "groupVersion", GroupVersion(group, version));
  KeyString(w, "version", version);
  w.EndObject();
}

void GroupObject(Writer& w, std::string_view name, const std::vector<std::string>& versions,
                 bool with_kind) {
  w.StartObject();
  if (with_kind) {
    KeyString(w, "kind", "APIGroup");
    KeyString(w, "apiVersion", "v1");
  }
  KeyString(w, "name", name);
  Key(w, "versions");
  w.StartArray();
  for (const auto& v : versions) GroupVersionEntry(w, name, v);
  w.EndArray();
  Key(w, "preferredVersion");
  GroupVersionEntry(w, name, versions.front());
  w.EndObject();
}

// FNV-1a, uppercase hex: a stable content hash for OpenAPI URLs.
std::string Hash(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llX", static_cast<unsigned long long>(h));
  return out;
}

std::vector<const ResourceType*> TypesOf(const Registry& registry, std::string_view group,
                                         std::string_view version) {
  std::vector<const ResourceType*> out;
  for (const auto& t : registry.Types()) {
    if (t.group == group && t.version == version) out.push_back(&t);
  }
  std::sort(out.begin(), out.end(),
            [](const ResourceType* a, const ResourceType* b) { return a->plural < b->plural; });
  return out;
}

void ResponseKind(Writer& w, const ResourceType& t, const Subresource* sub) {
  Key(w, "responseKind");
  w.StartObject();
  bool own = sub == nullptr || sub->version.empty();
  KeyString(w, "group", own ? t.group : sub->group);
  KeyString(w, "version", own ? t.version : sub->version);
  KeyString(w, "kind", sub == nullptr ? t.kind : sub->kind);
  w.EndObject();
}

}  // namespace

std::string LegacyCoreVersions(std::string_view address) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  KeyString(w, "kind", "APIVersions");
  StringArray(w, "versions", {"v1"});
  Key(w, "serverAddressByClientCIDRs");
  w.StartArray();
  w.StartObject();
  KeyString(w, "clientCIDR", "0.0.0.0/0");
  KeyString(w, "serverAddress", address);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return Done(buffer);
}

std::string LegacyGroupList(const Registry& registry) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  KeyString(w, "kind", "APIGroupList");
  KeyString(w, "apiVersion", "v1");
  Key(w, "groups");
  w.StartArray();
  for (const auto& [group, versions] : registry.Groups()) {
    if (!group.empty()) GroupObject(w, group, versions, false);
  }
  w.EndArray();
  w.EndObject();
  return Done(buffer);
}

std::string LegacyGroup(const Registry& registry, std::string_view group) {
  for (const auto& [name, versions] : registry.Groups()) {
    if (name != group || name.empty()) continue;
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    GroupObject(w, name, versions, true);
    return Done(buffer);
  }
  return "";
}

std::string LegacyResourceList(const Registry& registry, std::string_view group,
                               std::string_view version) {
  auto types = TypesOf(registry, group, version);
  if (types.empty()) return "";
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  KeyString(w, "kind", "APIResourceList");
  KeyString(w, "apiVersion", "v1");
  KeyString(w, "groupVersion", GroupVersion(group, version));
  Key(w, "resources");
  w.StartArray();
  for (const ResourceType* t : types) {
    w.StartObject();
    KeyString(w, "name", t->plural);
    KeyString(w, "singularName", t->singular);
    Key(w, "namespaced");
    w.Bool(t->namespaced);
    KeyString(w, "kind", t->kind);
    StringArray(w, "verbs", t->verbs);
    if (!t->short_names.empty()) StringArray(w, "shortNames", t->short_names);
    if (!t->categories.empty()) StringArray(w, "categories", t->categories);
    w.EndObject();
    for (const auto& sub : t->subresources) {
      w.StartObject();
      KeyString(w, "name", t->plural + "/" + sub.name);
      KeyString(w, "singularName", "");
      Key(w, "namespaced");
      w.Bool(t->namespaced);
      if (!sub.version.empty()) {
        KeyString(w, "group", sub.group);
        KeyString(w, "version", sub.version);
      }
      KeyString(w, "kind", sub.kind);
      StringArray(w, "verbs", sub.verbs);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return Done(buffer);
}

std::string AggregatedDiscovery(const Registry& registry, bool core, std::string_view api_version) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  KeyString(w, "kind", "APIGroupDiscoveryList");
  KeyString(w, "apiVersion", api_version);
  Key(w, "metadata");
  w.StartObject();
  w.EndObject();
  Key(w, "items");
  w.StartArray();
  for (const auto& [group, versions] : registry.Groups()) {
    if (group.empty() != core) continue;
    w.StartObject();
    Key(w, "metadata");
    w.StartObject();
    KeyString(w, "name", group);
    w.EndObject();
    Key(w, "versions");
    w.StartArray();
    for (const auto& version : versions) {
      w.StartObject();
      KeyString(w, "version", version);
      Key(w, "resources");
      w.StartArray();
      for (const ResourceType* t : TypesOf(registry, group, version)) {
        w.StartObject();
        KeyString(w, "resource", t->plural);
        ResponseKind(w, *t, nullptr);
        KeyString(w, "scope", t->namespaced ? "Namespaced" : "Cluster");
        KeyString(w, "singularResource", t->singular);
        StringArray(w, "verbs", t->verbs);
        if (!t->short_names.empty()) StringArray(w, "shortNames", t->short_names);
        if (!t->categories.empty()) StringArray(w, "categories", t->categories);
        if (!t->subresources.empty()) {
          Key(w, "subresources");
          w.StartArray();
          for (const auto& sub : t->subresources) {
            w.StartObject();
            KeyString(w, "subresource", sub.name);
            ResponseKind(w, *t, &sub);
            StringArray(w, "verbs", sub.verbs);
            w.EndObject();
          }
          w.EndArray();
        }
        w.EndObject();
      }
      w.EndArray();
      KeyString(w, "freshness", "Current");
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Done(buffer);
}

std::string SchemaName(const ResourceType& type) {
  if (type.custom) {
    // Reverse the group's DNS labels, as kube-apiserver names CRD schemas.
    std::vector<std::string> labels;
    size_t start = 0;
    while (true) {
      size_t dot = type.group.find('.', start);
      labels.push_back(type.group.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    std::string out;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it) out += *it + ".";
    return out + type.version + "." + type.kind;
  }
  std::string group = type.group.empty() ? "core" : type.group.substr(0, type.group.find('.'));
  if (type.group == "apiextensions.k8s.io") {
    return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1." + type.kind;
  }
  return "io.k8s.api." + group + "." + type.version + "." + type.kind;
}

namespace {

void Gvk(Writer& w, const ResourceType& t) {
  w.StartObject();
  KeyString(w, "group", t.group);
  KeyString(w, "version", t.version);
  KeyString(w, "kind", t.kind);
  w.EndObject();
}

void Operation(Writer& w, std::string_view method, std::string_view action, const ResourceType& t,
               bool v3) {
  Key(w, method);
  w.StartObject();
  KeyString(w, "operationId", std::string(action) + t.kind);
  KeyString(w, "x-kubernetes-action", action);
  Key(w, "x-kubernetes-group-version-kind");
  Gvk(w, t);
  Key(w, "parameters");
  w.StartArray();
  for (const char* name : {"dryRun", "fieldManager", "fieldValidation"}) {
    w.StartObject();
    KeyString(w, "name", name);
    KeyString(w, "in", "query");
    if (v3) {
      Key(w, "schema");
      w.StartObject();
      KeyString(w, "type", "string");
      w.EndObject();
    } else {
      KeyString(w, "type", "string");
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "responses");
  w.StartObject();
  Key(w, "200");
  w.StartObject();
  KeyString(w, "description", "OK");
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

void Paths(Writer& w, const std::vector<const ResourceType*>& types, bool v3) {
  Key(w, "paths");
  w.StartObject();
  for (const ResourceType* t : types) {
    if (!t->storage) continue;
    std::string base = t->group.empty() ? "/api/v1" : "/apis/" + t->ApiVersion();
    std::string collection = base + (t->namespaced ? "/namespaces/{namespace}/" : "/") + t->plural;
    Key(w, collection);
    w.StartObject();
    Operation(w, "post", "post", *t, v3);
    w.EndObject();
    Key(w, collection + "/{name}");
    w.StartObject();
    Operation(w, "put", "put", *t, v3);
    Operation(w, "patch", "patch", *t, v3);
    w.EndObject();
  }
  w.EndObject();
}

void GenericProperty(Writer& w, std::string_view name, std::string_view type,
                     std::string_view description) {
  Key(w, name);
  w.StartObject();
  KeyString(w, "type", type);
  KeyString(w, "description", description);
  w.EndObject();
}

void Schema(Writer& w, const ResourceType& t) {
  Key(w, SchemaName(t));
  w.StartObject();
  const Json* crd = t.schema ? static_cast<const Json*>(t.schema.get()) : nullptr;
  KeyString(w, "type", "object");
  std::string description = crd ? Str(*crd, "description") : "";
  if (description.empty()) description = t.kind + " is served by the kube-sandbox API server.";
  KeyString(w, "description", description);
  Key(w, "properties");
  w.StartObject();
  GenericProperty(w, "apiVersion", "string",
                  "APIVersion defines the versioned schema of this representation of an object.");
  GenericProperty(w, "kind", "string",
                  "Kind is a string value representing the REST resource this object represents.");
  GenericProperty(w, "metadata", "object", "Standard object's metadata.");
  const Json* props = crd ? Member(*crd, "properties") : nullptr;
  if (props && props->IsObject()) {
    for (const auto& m : props->GetObject()) {
      std::string_view name = StrView(m.name);
      if (name == "apiVersion" || name == "kind" || name == "metadata") continue;
      Key(w, name);
      m.value.Accept(w);
    }
  } else if (!crd) {
    GenericProperty(w, "spec", "object", "Spec defines the desired state of the object.");
    if (t.has_status) {
      GenericProperty(w, "status", "object", "Status is the most recently observed state.");
    }
  }
  w.EndObject();
  Key(w, "x-kubernetes-group-version-kind");
  w.StartArray();
  Gvk(w, t);
  w.EndArray();
  w.EndObject();
}

std::string GvDocument(const Registry& registry, std::string_view group, std::string_view version) {
  auto types = TypesOf(registry, group, version);
  if (types.empty()) return "";
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  KeyString(w, "openapi", "3.0.0");
  Key(w, "info");
  w.StartObject();
  KeyString(w, "title", "Kubernetes");
  KeyString(w, "version", "v1.32.4");
  w.EndObject();
  Paths(w, types, true);
  Key(w, "components");
  w.StartObject();
  Key(w, "schemas");
  w.StartObject();
  for (const ResourceType* t : types) {
    if (t->storage) Schema(w, *t);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return Done(buffer);
}

}  // namespace

std::string OpenApiV3Root(const Registry& registry) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Key(w, "paths");
  w.StartObject();
  for (const auto& [group, versions] : registry.Groups()) {
    for (const auto& version : versions) {
      std::string path = group.empty() ? "api/" + version : "apis/" + group + "/" + version;
      Key(w, path);
      w.StartObject();
      KeyString(w, "serverRelativeURL",
                "/openapi/v3/" + path + "?hash=" + Hash(GvDocument(registry, group, version)));
      w.EndObject();
    }
  }
  w.EndObject();
  w.EndObject();
  return Done(buffer);
}

std::string OpenApiV3Document(const Registry& registry, std::string_view gv_path) {
  if (gv_path.rfind("api/", 0) == 0) return GvDocument(registry, "", gv_path.substr(4));
  if (gv_path.rfind("apis/", 0) != 0) return "";
  std::string_view rest = gv_path.substr(5);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return "";
  return GvDocument(registry, rest.substr(0, slash), rest.substr(slash + 1));
}

std::string OpenApiV2Json(const Registry& registry, std::string_view server_version) {
  std::vector<const ResourceType*> types;
  for (const auto& t : registry.Types()) types.push_back(&t);
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  KeyString(w, "swagger", "2.0");
  Key(w, "info");
  w.StartObject();
  KeyString(w, "title", "Kubernetes");
  KeyString(w, "version", server_version);
  w.EndObject();
  Paths(w, types, false);
  Key(w, "definitions");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  return Done(buffer);
}

}  // namespace sandbox

namespace sandbox {
namespace {

// A minimal protobuf writer: length-delimited fields only, which is all the Document needs.
class ProtoWriter {
 public:
  ProtoWriter& Bytes(int field, std::string_view value) {
    Varint(static_cast<uint64_t>(field) << 3 | 2);
    Varint(value.size());
    out_.append(value);
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  std::string out_;
};

// Operation{operation_id=5, parameters=8, responses=9, vendor_extension=13}.
std::string ProtoOperation(const ResourceType& t, std::string_view action) {
  ProtoWriter op;
  op.Bytes(5, std::string(action) + t.kind);
  for (const char* name : {"dryRun", "fieldManager", "fieldValidation"}) {
    // ParametersItem{parameter=1 Parameter{non_body_parameter=2 NonBodyParameter{
    //   query_parameter_sub_schema=3 {in=2, name=4, type=6}}}}
    std::string query = ProtoWriter().Bytes(2, "query").Bytes(4, name).Bytes(6, "string").str();
    std::string non_body = ProtoWriter().Bytes(3, query).str();
    std::string parameter = ProtoWriter().Bytes(2, non_body).str();
    op.Bytes(8, ProtoWriter().Bytes(1, parameter).str());
  }
  // Responses{response_code=1 NamedResponseValue{name=1, value=2 ResponseValue{response=1
  //   Response{description=1}}}}
  std::string response = ProtoWriter().Bytes(1, ProtoWriter().Bytes(1, "OK").str()).str();
  op.Bytes(9, ProtoWriter().Bytes(1, ProtoWriter().Bytes(1, "200").Bytes(2, response).str()).str());
  // NamedAny{name=1, value=2 Any{yaml=2}}
  std::string yaml =
      "group: \"" + t.group + "\"\nkind: " + t.kind + "\nversion: " + t.version + "\n";
  std::string any = ProtoWriter().Bytes(2, yaml).str();
  op.Bytes(13, ProtoWriter().Bytes(1, "x-kubernetes-group-version-kind").Bytes(2, any).str());
  return op.str();
}

}  // namespace

std::string OpenApiV2Protobuf(const Registry& registry, std::string_view server_version) {
  ProtoWriter paths;
  for (const auto& t : registry.Types()) {
    if (!t.storage) continue;
    std::string base = t.group.empty() ? "/api/v1" : "/apis/" + t.ApiVersion();
    std::string collection = base + (t.namespaced ? "/namespaces/{namespace}/" : "/") + t.plural;
    // NamedPathItem{name=1, value=2 PathItem{put=3, post=4, patch=8}}
    std::string post = ProtoWriter().Bytes(4, ProtoOperation(t, "post")).str();
    paths.Bytes(2, ProtoWriter().Bytes(1, collection).Bytes(2, post).str());
    std::string item =
        ProtoWriter().Bytes(3, ProtoOperation(t, "put")).Bytes(8, ProtoOperation(t, "patch")).str();
    paths.Bytes(2, ProtoWriter().Bytes(1, collection + "/{name}").Bytes(2, item).str());
  }
  std::string info = ProtoWriter().Bytes(1, "Kubernetes").Bytes(2, server_version).str();
  return ProtoWriter().Bytes(1, "2.0").Bytes(2, info).Bytes(8, paths.str()).str();
}

}  // namespace sandbox
