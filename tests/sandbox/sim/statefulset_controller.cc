// The StatefulSet controller: pods <name>-<ordinal> with a stable identity (hostname, subdomain,
// pod-name and pod-index labels), created in ordinal order — with OrderedReady (the default) each
// waits until the one before is Running and Ready; with Parallel all at once — removed from the
// highest ordinal down, replaced highest first when the template changes (RollingUpdate), and the
// status kube-controller-manager writes (revisions, replica counts).
#include <map>

#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/rollout.h"

namespace sandbox::sim {
namespace {

constexpr const char* kRevisionLabel = "controller-revision-hash";

std::string RevisionOf(const Json& pod) {
  const Json* labels = AtPath(pod, "metadata.labels");
  return labels != nullptr ? Str(*labels, kRevisionLabel) : "";
}

// The ordinal of `pod_name` when it is `<set>-<digits>`, else -1.
int OrdinalOf(const std::string& set, const std::string& pod_name) {
  if (pod_name.size() <= set.size() + 1 || pod_name.compare(0, set.size() + 1, set + "-") != 0) {
    return -1;
  }
  std::string digits = pod_name.substr(set.size() + 1);
  if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoi(digits);
}

// The status kube-controller-manager writes for `set` owning `pods`, whose template is at
// `revision`: counts, and currentRevision moving to `revision` once every replica runs it.
rapidjson::Document StatefulSetStatus(const Json& set, const std::vector<ObjectPtr>& pods,
                                      const std::string& revision, int want) {
  const Json* before = Member(set, "status");
  std::string current_revision = before != nullptr ? Str(*before, "currentRevision") : "";
  if (current_revision.empty()) current_revision = revision;
  int replicas = 0, ready = 0, updated = 0, current = 0;
  for (const auto& pod : pods) {
    if (!PodActive(*pod)) continue;
    ++replicas;
    ready += PodReady(*pod) ? 1 : 0;
    updated += RevisionOf(*pod) == revision ? 1 : 0;
    current += RevisionOf(*pod) == current_revision ? 1 : 0;
  }
  if (updated == want && replicas == want) {  // the rollout is over
    current_revision = revision;
    current = updated;
  }
  rapidjson::Document status(rapidjson::kObjectType);
  Alloc& alloc = status.GetAllocator();
  if (const Json* g = AtPath(set, "metadata.generation"))
    Set(status, "observedGeneration", *g, alloc);
  SetInt(status, "replicas", replicas, alloc);
  if (ready) SetInt(status, "readyReplicas", ready, alloc);
  if (current) SetInt(status, "currentReplicas", current, alloc);
  if (updated) SetInt(status, "updatedReplicas", updated, alloc);
  SetString(status, "currentRevision", current_revision, alloc);
  SetString(status, "updateRevision", revision, alloc);
  SetInt(status, "collisionCount", 0, alloc);
  SetInt(status, "availableReplicas", ready, alloc);
  return status;
}

// Pod `ordinal` of `set`, named `pod_name`, from its template at `revision`: the identity labels,
// hostname and (with serviceName) subdomain the controller sets.
rapidjson::Document StatefulPod(const Json& set, const std::string& pod_name, int ordinal,
                                const std::string& revision) {
  rapidjson::Document labels(rapidjson::kObjectType);
  SetString(labels, kRevisionLabel, revision, labels.GetAllocator());
  SetString(labels, "statefulset.kubernetes.io/pod-name", pod_name, labels.GetAllocator());
  SetString(labels, "apps.kubernetes.io/pod-index", std::to_string(ordinal), labels.GetAllocator());
  rapidjson::Document pod = PodFromTemplate(set, pod_name, &labels);
  Json& spec = Child(pod, "spec", pod.GetAllocator());
  SetString(spec, "hostname", pod_name, pod.GetAllocator());
  std::string service = Str(*Member(set, "spec"), "serviceName");
  if (!service.empty()) SetString(spec, "subdomain", service, pod.GetAllocator());
  return pod;
}

}  // namespace

void Cluster::SyncStatefulSet(const std::string& key) {
  ObjectPtr set = api_.store().Get("apps/statefulsets", key);
  if (set == nullptr || AtPath(*set, "metadata.deletionTimestamp") != nullptr) return;
  const Json& m = *Member(*set, "metadata");
  const std::string ns = Str(m, "namespace"), name = Str(m, "name"), uid = Str(m, "uid");
  const Json* tmpl = AtPath(*set, "spec.template");
  const Json empty(rapidjson::kObjectType);
  const std::string revision = name + "-" + PodTemplateHash(tmpl != nullptr ? *tmpl : empty);
  const int want = IntAt(*set, "spec.replicas", 1);
  const bool parallel = Str(*Member(*set, "spec"), "podManagementPolicy") == "Parallel";
  const Json* strategy = AtPath(*set, "spec.updateStrategy");
  const bool on_delete = strategy != nullptr && Str(*strategy, "type") == "OnDelete";
  const std::string pods_path = "/api/v1/namespaces/" + ns + "/pods";
  const std::string component = "statefulset-controller";
  std::map<int, ObjectPtr> pods;  // by ordinal
  for (const auto& pod : Owned("/pods", ns, uid)) {
    int ordinal = OrdinalOf(name, Str(*Member(*pod, "metadata"), "name"));
    if (ordinal >= 0) pods[ordinal] = pod;
  }
  auto healthy = [](const ObjectPtr& pod) { return PodActive(*pod) && PodReady(*pod); };
  bool all_healthy = true;
  for (int i = 0; i < want; ++i) {
    auto it = pods.find(i);
    if (it != pods.end()) {
      all_healthy = all_healthy && healthy(it->second);
      if (!parallel && !healthy(it->second)) break;  // OrderedReady: wait for this one
      continue;
    }
    all_healthy = false;
    std::string pod_name = name + "-" + std::to_string(i);
    rapidjson::Document pod = StatefulPod(*set, pod_name, i, revision);
    if (Create(pods_path, pod)) {
      Record(*set, "Normal", "SuccessfulCreate",
             "create Pod " + pod_name + " in StatefulSet " + name + " successful", "", component);
    }
    if (!parallel) break;
  }
  // Scale down from the highest ordinal; then, once every pod is healthy, replace the highest
  // one still at an old revision (RollingUpdate). OrderedReady does one pod at a time.
  for (auto it = pods.rbegin(); it != pods.rend(); ++it) {
    bool excess = it->first >= want;
    bool outdated = !excess && all_healthy && !on_delete && RevisionOf(*it->second) != revision;
    if (!excess && !outdated) continue;
    if (AtPath(*it->second, "metadata.deletionTimestamp") != nullptr) {
      if (parallel) continue;
      break;
    }
    std::string pod_name = name + "-" + std::to_string(it->first);
    Call("DELETE", pods_path + "/" + pod_name, "");
    Record(*set, "Normal", "SuccessfulDelete",
           "delete Pod " + pod_name + " in StatefulSet " + name + " successful", "", component);
    if (!parallel || outdated) break;
  }
  const Json* status_before = Member(*set, "status");
  rapidjson::Document status = StatefulSetStatus(*set, Owned("/pods", ns, uid), revision, want);
  if (status_before != nullptr && Dump(*status_before) == Dump(status)) return;
  rapidjson::Document object = Clone(*set);
  Set(object, "status", status, object.GetAllocator());
  PutStatus("/apis/apps/v1/namespaces/" + ns + "/statefulsets/" + name, object);
}

}  // namespace sandbox::sim
