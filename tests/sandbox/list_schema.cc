#include "tests/sandbox/list_schema.h"

namespace sandbox {
namespace {

bool IsContainerList(std::string_view name) {
  return name == "containers" || name == "initContainers" || name == "ephemeralContainers";
}

ListSchema Map(std::vector<std::string> keys, std::string merge_key) {
  return {ListSchema::Type::kMap, std::move(keys), std::move(merge_key)};
}

}  // namespace

const Json* SchemaAt(const Json* schema, const FieldPath& path) {
  for (const std::string& step : path) {
    if (schema == nullptr) return nullptr;
    if (step == "[]") {
      schema = Member(*schema, "items");
      continue;
    }
    const Json* props = Member(*schema, "properties");
    const Json* next = props ? Member(*props, step) : nullptr;
    if (next == nullptr) {
      const Json* additional = Member(*schema, "additionalProperties");
      next = additional && additional->IsObject() ? additional : nullptr;
    }
    schema = next;
  }
  return schema;
}

ListSchema ListSchemaAt(const FieldPath& path, const Json* crd_schema) {
  if (path.empty()) return {};
  const std::string& name = path.back();
  // Fields every object has, custom or not.
  if (path.size() == 2 && path[0] == "metadata") {
    if (name == "finalizers") return {ListSchema::Type::kSet, {}, ""};
    if (name == "ownerReferences") return Map({"uid"}, "uid");
  }
  if (crd_schema != nullptr) {
    const Json* node = SchemaAt(crd_schema, path);
    std::string type = node ? Str(*node, "x-kubernetes-list-type") : "";
    if (type == "set") return {ListSchema::Type::kSet, {}, ""};
    if (type == "map") {
      std::vector<std::string> keys;
      if (const Json* k = Member(*node, "x-kubernetes-list-map-keys"); k && k->IsArray()) {
        for (const auto& key : k->GetArray()) keys.emplace_back(StrView(key));
      }
      return Map(keys, keys.empty() ? "" : keys.front());
    }
    return {};
  }
  // Built-in types: Kubernetes' patchMergeKey and listMapKeys for the lists objects commonly
  // carry. Tolerations, args, command, envFrom, rules, subjects are atomic there too.
  const std::string parent = path.size() >= 3 ? path[path.size() - 3] : "";
  if (IsContainerList(name)) return Map({"name"}, "name");
  if (name == "conditions") return Map({"type"}, "type");
  if (name == "volumes" || name == "imagePullSecrets" || name == "env" ||
      name == "resourceClaims" || name == "schedulingGates") {
    return Map({"name"}, "name");
  }
  if (name == "volumeMounts") return Map({"mountPath"}, "mountPath");
  if (name == "volumeDevices") return Map({"devicePath"}, "devicePath");
  if (name == "hostAliases") return Map({"ip"}, "ip");
  if (name == "topologySpreadConstraints") {
    return Map({"topologyKey", "whenUnsatisfiable"}, "topologyKey");
  }
  if (name == "ports") {
    if (IsContainerList(parent)) return Map({"containerPort", "protocol"}, "containerPort");
    if (path.size() == 2 && path[0] == "spec") return Map({"port", "protocol"}, "port");
  }
  if (name == "secrets" && path.size() == 1) return Map({"name"}, "name");
  return {};
}

}  // namespace sandbox
