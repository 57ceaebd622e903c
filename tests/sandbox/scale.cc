#include "tests/sandbox/scale.h"

#include "tests/sandbox/selectors.h"

namespace sandbox {
namespace {

std::string Dotted(const std::string& json_path) {
  return json_path.empty() || json_path[0] != '.' ? json_path : json_path.substr(1);
}

}  // namespace

rapidjson::Document ScaleOf(const ResourceType& type, const Json& object) {
  rapidjson::Document scale(rapidjson::kObjectType);
  Alloc& alloc = scale.GetAllocator();
  SetString(scale, "kind", "Scale", alloc);
  SetString(scale, "apiVersion", "autoscaling/v1", alloc);
  Json& metadata = Child(scale, "metadata", alloc);
  if (const Json* m = Member(object, "metadata")) {
    for (const char* field : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (const Json* v = Member(*m, field)) Set(metadata, field, *v, alloc);
    }
  }
  const Json* spec_replicas = AtPath(object, Dotted(type.spec_replicas_path));
  SetInt(Child(scale, "spec", alloc), "replicas",
         spec_replicas && spec_replicas->IsInt64() ? spec_replicas->GetInt64() : 0, alloc);
  Json& status = Child(scale, "status", alloc);
  const Json* status_replicas = AtPath(object, Dotted(type.status_replicas_path));
  SetInt(status, "replicas",
         status_replicas && status_replicas->IsInt64() ? status_replicas->GetInt64() : 0, alloc);
  std::string selector;
  if (type.custom) {
    const Json* s = type.label_selector_path.empty()
                        ? nullptr
                        : AtPath(object, Dotted(type.label_selector_path));
    if (s && s->IsString()) selector = std::string(StrView(*s));
  } else if (const Json* s = AtPath(object, "spec.selector"); s && s->IsObject()) {
    selector = FormatLabelSelector(*s);
  }
  if (!selector.empty()) SetString(status, "selector", selector, alloc);
  return scale;
}

void SetReplicas(const ResourceType& type, rapidjson::Document& object, int64_t replicas) {
  std::string path = Dotted(type.spec_replicas_path);
  Alloc& alloc = object.GetAllocator();
  Json* node = &object;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string step =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      SetInt(*node, step, replicas, alloc);
      return;
    }
    node = &Child(*node, step, alloc);
    start = dot + 1;
  }
}

}  // namespace sandbox
