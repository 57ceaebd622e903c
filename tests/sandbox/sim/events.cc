// v1 Events as the controllers and the kubelet record them.
#include <cstdio>

#include "tests/sandbox/sim/cluster.h"

namespace sandbox::sim {

void Cluster::Record(const Json& object, const std::string& type, const std::string& reason,
                     const std::string& message, const std::string& field_path,
                     const std::string& component) {
  const Json& metadata = *Member(object, "metadata");
  std::string ns = Str(metadata, "namespace");
  std::string name = Str(metadata, "name");
  rapidjson::Document event(rapidjson::kObjectType);
  Alloc& alloc = event.GetAllocator();
  SetString(event, "apiVersion", "v1", alloc);
  SetString(event, "kind", "Event", alloc);
  char suffix[20];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random_()));
  Json& m = Child(event, "metadata", alloc);
  SetString(m, "name", name + "." + suffix, alloc);
  SetString(m, "namespace", ns, alloc);
  Json& involved = Child(event, "involvedObject", alloc);
  SetString(involved, "kind", Str(object, "kind"), alloc);
  SetString(involved, "namespace", ns, alloc);
  SetString(involved, "name", name, alloc);
  SetString(involved, "uid", Str(metadata, "uid"), alloc);
  SetString(involved, "apiVersion", Str(object, "apiVersion"), alloc);
  SetString(involved, "resourceVersion", Str(metadata, "resourceVersion"), alloc);
  if (!field_path.empty()) SetString(involved, "fieldPath", field_path, alloc);
  SetString(event, "reason", reason, alloc);
  SetString(event, "message", message, alloc);
  std::string source = component;
  if (source.empty()) {
    std::string kind = Str(object, "kind");
    source = kind == "Deployment"   ? "deployment-controller"
             : kind == "ReplicaSet" ? "replicaset-controller"
             : kind == "Job"        ? "job-controller"
                                    : "kubelet";
  }
  Json& src = Child(event, "source", alloc);
  SetString(src, "component", source, alloc);
  std::string now = Now();
  SetString(event, "firstTimestamp", now, alloc);
  SetString(event, "lastTimestamp", now, alloc);
  SetInt(event, "count", 1, alloc);
  SetString(event, "type", type, alloc);
  Set(event, "eventTime", Json(), alloc);
  SetString(event, "reportingComponent", source, alloc);
  SetString(event, "reportingInstance", "", alloc);
  Call("POST", "/api/v1/namespaces/" + ns + "/events", Dump(event));
}

}  // namespace sandbox::sim
