// The replica set controller: creates and deletes pods to match spec.replicas and reports how
// many exist, are ready and available.
#include <algorithm>

#include "tests/sandbox/sim/cluster.h"

namespace sandbox::sim {

int IntAt(const Json& object, std::string_view path, int fallback) {
  const Json* v = AtPath(object, path);
  return v != nullptr && v->IsInt() ? v->GetInt() : fallback;
}

bool PodReady(const Json& pod) {
  const Json* conditions = AtPath(pod, "status.conditions");
  if (conditions == nullptr || !conditions->IsArray()) return false;
  for (const auto& c : conditions->GetArray()) {
    if (Str(c, "type") == "Ready") return Str(c, "status") == "True";
  }
  return false;
}

bool PodActive(const Json& pod) {
  std::string phase = Str(*Member(pod, "status"), "phase");
  return AtPath(pod, "metadata.deletionTimestamp") == nullptr && phase != "Succeeded" &&
         phase != "Failed";
}

void SetControllerRef(Json& metadata, const Json& owner, Alloc& alloc) {
  const Json& om = *Member(owner, "metadata");
  Json ref(rapidjson::kObjectType);
  SetString(ref, "apiVersion", Str(owner, "apiVersion"), alloc);
  SetString(ref, "kind", Str(owner, "kind"), alloc);
  SetString(ref, "name", Str(om, "name"), alloc);
  SetString(ref, "uid", Str(om, "uid"), alloc);
  Set(ref, "controller", Json(true), alloc);
  Set(ref, "blockOwnerDeletion", Json(true), alloc);
  Json refs(rapidjson::kArrayType);
  refs.PushBack(ref, alloc);
  Set(metadata, "ownerReferences", refs, alloc);
}

// A pod for `owner` (a ReplicaSet or Job) from its template, named `<generate-name><suffix>`.
rapidjson::Document PodFromTemplate(const Json& owner, const std::string& name,
                                    const Json* extra_labels) {
  const Json& om = *Member(owner, "metadata");
  rapidjson::Document pod(rapidjson::kObjectType);
  Alloc& alloc = pod.GetAllocator();
  SetString(pod, "apiVersion", "v1", alloc);
  SetString(pod, "kind", "Pod", alloc);
  const Json* tmpl = AtPath(owner, "spec.template");
  Json& m = Child(pod, "metadata", alloc);
  if (const Json* tm = tmpl ? Member(*tmpl, "metadata") : nullptr) m.CopyFrom(*tm, alloc);
  SetString(m, "name", name, alloc);
  SetString(m, "namespace", Str(om, "namespace"), alloc);
  if (extra_labels && extra_labels->IsObject()) {
    Json& labels = Child(m, "labels", alloc);
    for (const auto& l : extra_labels->GetObject()) {
      Set(labels, StrView(l.name), l.value, alloc);
    }
  }
  SetControllerRef(m, owner, alloc);
  Json& spec = Child(pod, "spec", alloc);
  if (const Json* ts = tmpl ? Member(*tmpl, "spec") : nullptr) spec.CopyFrom(*ts, alloc);
  if (Str(spec, "restartPolicy").empty()) SetString(spec, "restartPolicy", "Always", alloc);
  return pod;
}

void Cluster::SyncReplicaSet(const std::string& key) {
  ObjectPtr rs = api_.store().Get("apps/replicasets", key);
  if (rs == nullptr || AtPath(*rs, "metadata.deletionTimestamp") != nullptr) return;
  const Json& m = *Member(*rs, "metadata");
  std::string ns = Str(m, "namespace");
  std::string name = Str(m, "name");
  std::vector<ObjectPtr> pods;
  for (const auto& pod : Owned("/pods", ns, Str(m, "uid"))) {
    if (PodActive(*pod)) pods.push_back(pod);
  }
  int want = IntAt(*rs, "spec.replicas", 1);
  int have = static_cast<int>(pods.size());
  std::string pods_path = "/api/v1/namespaces/" + ns + "/pods";
  for (int i = have; i < want; ++i) {
    std::string pod_name = name + "-" + RandomSuffix();
    ObjectPtr created = Create(pods_path, PodFromTemplate(*rs, pod_name, nullptr));
    if (created) Record(*rs, "Normal", "SuccessfulCreate", "Created pod: " + pod_name);
  }
  if (have > want) {
    // Not-ready pods go first, then the newest (as the real controller ranks them).
    std::stable_sort(pods.begin(), pods.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
      bool ra = PodReady(*a), rb = PodReady(*b);
      if (ra != rb) return !ra;
      return Str(*Member(*a, "metadata"), "creationTimestamp") >
             Str(*Member(*b, "metadata"), "creationTimestamp");
    });
    for (int i = 0; i < have - want; ++i) {
      std::string pod_name = Str(*Member(*pods[static_cast<size_t>(i)], "metadata"), "name");
      Call("DELETE", pods_path + "/" + pod_name, "");
      Record(*rs, "Normal", "SuccessfulDelete", "Deleted pod: " + pod_name);
    }
  }
  int replicas = 0, ready = 0;
  for (const auto& pod : Owned("/pods", ns, Str(m, "uid"))) {
    if (!PodActive(*pod)) continue;
    ++replicas;
    ready += PodReady(*pod) ? 1 : 0;
  }
  rapidjson::Document object = Clone(*rs);
  Alloc& alloc = object.GetAllocator();
  Json status(rapidjson::kObjectType);
  SetInt(status, "replicas", replicas, alloc);
  if (replicas) SetInt(status, "fullyLabeledReplicas", replicas, alloc);
  if (ready) SetInt(status, "readyReplicas", ready, alloc);
  if (ready) SetInt(status, "availableReplicas", ready, alloc);
  if (const Json* g = Member(m, "generation")) Set(status, "observedGeneration", *g, alloc);
  const Json* previous = Member(*rs, "status");
  if (previous != nullptr && Dump(*previous) == Dump(status)) return;
  Set(object, "status", status, alloc);
  PutStatus("/apis/apps/v1/namespaces/" + ns + "/replicasets/" + name, object);
}

}  // namespace sandbox::sim
