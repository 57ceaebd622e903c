// The scheduler's fit test: node capacity against the requests of the pods bound to it, with the
// FailedScheduling message kube-scheduler 1.32 writes when no node fits.
#include "tests/sandbox/sim/scheduler.h"

#include <algorithm>
#include <map>

#include "core/quantity.h"
#include "tests/sandbox/sim/cluster.h"

namespace sandbox::sim {
namespace {

int64_t Milli(const Json* list, const char* resource) {
  const Json* value = list != nullptr ? Member(*list, resource) : nullptr;
  if (value == nullptr || !value->IsString()) return 0;
  auto milli = mm::QuantityMilliValue(StrView(*value));
  return milli ? *milli : 0;
}

PodRequests Sum(const Json* containers, bool largest) {
  PodRequests total;
  if (containers == nullptr || !containers->IsArray()) return total;
  for (const auto& c : containers->GetArray()) {
    const Json* requests = AtPath(c, "resources.requests");
    int64_t cpu = Milli(requests, "cpu"), memory = Milli(requests, "memory");
    total.cpu_milli = largest ? std::max(total.cpu_milli, cpu) : total.cpu_milli + cpu;
    total.memory_milli =
        largest ? std::max(total.memory_milli, memory) : total.memory_milli + memory;
  }
  return total;
}

bool Finished(const Json& pod) {
  std::string phase = Str(*Member(pod, "status"), "phase");
  return phase == "Succeeded" || phase == "Failed";
}

// "1 Too many pods, 3 Insufficient cpu": "count reason" strings, sorted as strings (as the
// scheduler's FitError sorts them).
std::string Histogram(const std::map<std::string, int>& reasons) {
  std::vector<std::string> items;
  for (const auto& [reason, count] : reasons) items.push_back(std::to_string(count) + " " + reason);
  std::sort(items.begin(), items.end());
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

PodRequests RequestsOf(const Json& pod) {
  PodRequests main = Sum(AtPath(pod, "spec.containers"), false);
  PodRequests init = Sum(AtPath(pod, "spec.initContainers"), true);
  return {std::max(main.cpu_milli, init.cpu_milli), std::max(main.memory_milli, init.memory_milli)};
}

Placement PlacePod(const Json& pod, const std::vector<ObjectPtr>& nodes,
                   const std::vector<ObjectPtr>& pods, size_t start) {
  const std::string uid = Str(*Member(pod, "metadata"), "uid");
  const PodRequests wanted = RequestsOf(pod);
  std::map<std::string, int> reasons, preemption;
  for (size_t i = 0; i < nodes.size(); ++i) {
    size_t index = (start + i) % nodes.size();
    const Json& node = *nodes[index];
    std::string name = Str(*Member(node, "metadata"), "name");
    const Json* unschedulable = AtPath(node, "spec.unschedulable");
    if (unschedulable != nullptr && unschedulable->IsTrue()) {
      ++reasons["node(s) were unschedulable"];
      ++preemption["Preemption is not helpful for scheduling"];
      continue;
    }
    PodRequests used;
    int64_t count = 0;
    for (const ObjectPtr& other : pods) {
      const Json* bound = AtPath(*other, "spec.nodeName");
      if (bound == nullptr || StrView(*bound) != name || Finished(*other) ||
          Str(*Member(*other, "metadata"), "uid") == uid) {
        continue;
      }
      PodRequests r = RequestsOf(*other);
      used.cpu_milli += r.cpu_milli;
      used.memory_milli += r.memory_milli;
      ++count;
    }
    const Json* allocatable = AtPath(node, "status.allocatable");
    bool fits = true;
    if (count + 1 > Milli(allocatable, "pods") / 1000) {
      ++reasons["Too many pods"];
      fits = false;
    }
    if (used.cpu_milli + wanted.cpu_milli > Milli(allocatable, "cpu")) {
      ++reasons["Insufficient cpu"];
      fits = false;
    }
    if (used.memory_milli + wanted.memory_milli > Milli(allocatable, "memory")) {
      ++reasons["Insufficient memory"];
      fits = false;
    }
    if (fits) return {.node = name, .index = index};
    ++preemption["No preemption victims found for incoming pod"];
  }
  std::string none = "0/" + std::to_string(nodes.size()) + " nodes are available";
  if (nodes.empty()) return {.message = "no nodes available to schedule pods"};
  return {.message = none + ": " + Histogram(reasons) + ". preemption: " + none + ": " +
                     Histogram(preemption) + "."};
}

Placement Cluster::PlaceOnNode(const Json& pod, const std::vector<ObjectPtr>& nodes) {
  std::vector<ObjectPtr> pods;
  api_.store().Scan("/pods", "", "", 0, [&](const std::string&, const ObjectPtr& other) {
    pods.push_back(other);
    return true;
  });
  Placement placement = PlacePod(pod, nodes, pods, static_cast<size_t>(next_node_));
  if (!placement.node.empty()) {
    const Json& metadata = *Member(pod, "metadata");
    unschedulable_.erase(ObjectKey(Str(metadata, "namespace"), Str(metadata, "name")));
  }
  return placement;
}

void Cluster::MarkUnschedulable(PodRun& run, const Json& pod, const std::string& message) {
  auto [it, fresh] = unschedulable_.try_emplace(ObjectKey(run.ns, run.name), message);
  if (!fresh && it->second == message) return;  // nothing new to say
  it->second = message;
  rapidjson::Document object = Clone(pod);
  Alloc& alloc = object.GetAllocator();
  Json& status = Child(object, "status", alloc);
  SetString(status, "phase", "Pending", alloc);
  Json condition(rapidjson::kObjectType);
  SetString(condition, "type", "PodScheduled", alloc);
  SetString(condition, "status", "False", alloc);
  Set(condition, "lastProbeTime", Json(), alloc);
  SetString(condition, "lastTransitionTime", Now(), alloc);
  SetString(condition, "reason", "Unschedulable", alloc);
  SetString(condition, "message", message, alloc);
  Json conditions(rapidjson::kArrayType);
  conditions.PushBack(condition, alloc);
  Set(status, "conditions", conditions, alloc);
  PutStatus("/api/v1/namespaces/" + run.ns + "/pods/" + run.name, object);
  Record(pod, "Warning", "FailedScheduling", message, "", "default-scheduler");
}

void Cluster::RetryUnschedulable() {
  for (auto it = unschedulable_.begin(); it != unschedulable_.end();) {
    auto run = pods_.find(it->first);
    if (run == pods_.end()) {
      it = unschedulable_.erase(it);  // deleted while it waited
      continue;
    }
    Later(std::chrono::milliseconds(0), run->second, &Cluster::SchedulePod);
    ++it;
  }
}

}  // namespace sandbox::sim
