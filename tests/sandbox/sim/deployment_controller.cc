// The deployment controller: a ReplicaSet per pod template (pod-template-hash), RollingUpdate and
// Recreate, revision history, and status as kube-controller-manager writes it.
#include <algorithm>

#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/rollout.h"

namespace sandbox::sim {
namespace {

constexpr const char* kRevision = "deployment.kubernetes.io/revision";

int RevisionOf(const Json& rs) {
  const Json* annotations = AtPath(rs, "metadata.annotations");
  return annotations ? std::atoi(Str(*annotations, kRevision).c_str()) : 0;
}

std::string Path(const std::string& ns, const std::string& plural, const std::string& name = "") {
  return "/apis/apps/v1/namespaces/" + ns + "/" + plural + (name.empty() ? "" : "/" + name);
}

void SetCount(Json& status, const char* name, int value, Alloc& alloc) {
  if (value != 0) SetInt(status, name, value, alloc);
}

}  // namespace

ObjectPtr Cluster::NewReplicaSet(const Json& deployment, const std::string& hash, int revision,
                                 int replicas) {
  const Json& dm = *Member(deployment, "metadata");
  rapidjson::Document rs(rapidjson::kObjectType);
  Alloc& alloc = rs.GetAllocator();
  SetString(rs, "apiVersion", "apps/v1", alloc);
  SetString(rs, "kind", "ReplicaSet", alloc);
  Json& m = Child(rs, "metadata", alloc);
  SetString(m, "name", Str(dm, "name") + "-" + hash, alloc);
  SetString(m, "namespace", Str(dm, "namespace"), alloc);
  const Json& tmpl = *AtPath(deployment, "spec.template");
  const Json* labels = AtPath(tmpl, "metadata.labels");
  Json& l = Child(m, "labels", alloc);
  if (labels) l.CopyFrom(*labels, alloc);
  SetString(l, "pod-template-hash", hash, alloc);
  Json& a = Child(m, "annotations", alloc);
  int desired = IntAt(deployment, "spec.replicas", 1);
  SetString(a, "deployment.kubernetes.io/desired-replicas", std::to_string(desired), alloc);
  SetString(a, "deployment.kubernetes.io/max-replicas",
            std::to_string(desired + LimitsOf(*Member(deployment, "spec")).max_surge), alloc);
  SetString(a, kRevision, std::to_string(revision), alloc);
  SetControllerRef(m, deployment, alloc);
  Json& spec = Child(rs, "spec", alloc);
  SetInt(spec, "replicas", replicas, alloc);
  if (const Json* mrs = AtPath(deployment, "spec.minReadySeconds")) {
    Set(spec, "minReadySeconds", *mrs, alloc);
  }
  Json& selector = Child(spec, "selector", alloc);
  if (const Json* s = AtPath(deployment, "spec.selector")) selector.CopyFrom(*s, alloc);
  SetString(Child(selector, "matchLabels", alloc), "pod-template-hash", hash, alloc);
  Json& t = Child(spec, "template", alloc);
  t.CopyFrom(tmpl, alloc);
  SetString(Child(Child(t, "metadata", alloc), "labels", alloc), "pod-template-hash", hash, alloc);
  ObjectPtr created = Create(Path(Str(dm, "namespace"), "replicasets"), rs);
  if (created && replicas > 0) {
    Record(deployment, "Normal", "ScalingReplicaSet",
           "Scaled up replica set " + Str(m, "name") + " from 0 to " + std::to_string(replicas));
  }
  return created;
}

void Cluster::ScaleReplicaSet(const Json& deployment, const ObjectPtr& rs, int replicas) {
  int from = IntAt(*rs, "spec.replicas");
  if (from == replicas) return;
  rapidjson::Document updated = Clone(*rs);
  Alloc& alloc = updated.GetAllocator();
  SetInt(Child(updated, "spec", alloc), "replicas", replicas, alloc);
  int desired = IntAt(deployment, "spec.replicas", 1);
  Json& a = Child(Child(updated, "metadata", alloc), "annotations", alloc);
  SetString(a, "deployment.kubernetes.io/desired-replicas", std::to_string(desired), alloc);
  SetString(a, "deployment.kubernetes.io/max-replicas",
            std::to_string(desired + LimitsOf(*Member(deployment, "spec")).max_surge), alloc);
  const Json& m = *Member(*rs, "metadata");
  Response r = Call("PUT", Path(Str(m, "namespace"), "replicasets", Str(m, "name")), Dump(updated));
  if (r.code >= 300) return;
  Record(deployment, "Normal", "ScalingReplicaSet",
         std::string(replicas > from ? "Scaled up" : "Scaled down") + " replica set " +
             Str(m, "name") + " from " + std::to_string(from) + " to " + std::to_string(replicas));
}

ObjectPtr Cluster::RecordDeploymentRevision(const std::string& key, int revision) {
  ObjectPtr d = api_.store().Get("apps/deployments", key);
  const Json* annotations = d ? AtPath(*d, "metadata.annotations") : nullptr;
  if (d == nullptr || (annotations && Str(*annotations, kRevision) == std::to_string(revision))) {
    return d;
  }
  rapidjson::Document updated = Clone(*d);
  Alloc& alloc = updated.GetAllocator();
  Json& a = Child(Child(updated, "metadata", alloc), "annotations", alloc);
  SetString(a, kRevision, std::to_string(revision), alloc);
  const Json& m = *Member(*d, "metadata");
  Call("PUT", Path(Str(m, "namespace"), "deployments", Str(m, "name")), Dump(updated));
  return api_.store().Get("apps/deployments", key);
}

void Cluster::SyncDeployment(const std::string& key) {
  ObjectPtr d = api_.store().Get("apps/deployments", key);
  if (d == nullptr || AtPath(*d, "metadata.deletionTimestamp") != nullptr) return;
  const Json& spec = *Member(*d, "spec");
  const Json& m = *Member(*d, "metadata");
  std::string ns = Str(m, "namespace");
  int desired = IntAt(spec, "replicas", 1);
  std::string hash = PodTemplateHash(*Member(spec, "template"));
  std::string new_name = Str(m, "name") + "-" + hash;
  auto sets = Owned("apps/replicasets", ns, Str(m, "uid"));
  std::sort(sets.begin(), sets.end(),
            [](const ObjectPtr& a, const ObjectPtr& b) { return RevisionOf(*a) < RevisionOf(*b); });
  ObjectPtr new_rs;
  std::vector<ObjectPtr> old;
  int max_revision = 0, all_spec = 0;
  bool old_pods = false;
  for (const auto& rs : sets) {
    max_revision = std::max(max_revision, RevisionOf(*rs));
    all_spec += IntAt(*rs, "spec.replicas");
    if (Str(*Member(*rs, "metadata"), "name") == new_name) {
      new_rs = rs;
    } else {
      old.push_back(rs);
      old_pods |= IntAt(*rs, "status.replicas") > 0;
    }
  }
  RolloutLimits limits = LimitsOf(spec);
  const Json* strategy = AtPath(spec, "strategy.type");
  bool recreate = strategy != nullptr && StrView(*strategy) == "Recreate";
  bool created = false;
  if (recreate) {
    for (const auto& rs : old) ScaleReplicaSet(*d, rs, 0);
    if (!old_pods) {
      if (new_rs == nullptr) {
        new_rs = NewReplicaSet(*d, hash, max_revision + 1, desired);
        created = new_rs != nullptr;
      } else {
        ScaleReplicaSet(*d, new_rs, desired);
      }
    }
  } else {
    if (new_rs == nullptr) {
      new_rs = NewReplicaSet(*d, hash, max_revision + 1,
                             NewReplicaSetTarget(desired, limits, 0, all_spec));
      created = new_rs != nullptr;
    } else {
      ScaleReplicaSet(
          *d, new_rs,
          NewReplicaSetTarget(desired, limits, IntAt(*new_rs, "spec.replicas"), all_spec));
    }
    std::vector<ReplicaSetCounts> counts;
    for (const auto& rs : old) {
      counts.push_back({IntAt(*rs, "spec.replicas"), IntAt(*rs, "status.availableReplicas")});
    }
    ReplicaSetCounts new_counts{new_rs ? IntAt(*new_rs, "spec.replicas") : 0,
                                new_rs ? IntAt(*new_rs, "status.availableReplicas") : 0};
    auto targets = OldReplicaSetTargets(desired, limits, new_counts, counts);
    for (size_t i = 0; i < old.size(); ++i) ScaleReplicaSet(*d, old[i], targets[i]);
  }
  // Revision history: fully scaled-down old sets beyond revisionHistoryLimit go, oldest first.
  int limit = IntAt(spec, "revisionHistoryLimit", 10);
  std::vector<ObjectPtr> idle;
  for (auto& rs : old) {
    rs = api_.store().Get("apps/replicasets", ObjectKey(ns, Str(*Member(*rs, "metadata"), "name")));
  }
  for (const auto& rs : old) {
    if (rs && IntAt(*rs, "spec.replicas") == 0 && IntAt(*rs, "status.replicas") == 0) {
      idle.push_back(rs);
    }
  }
  for (size_t i = 0; i + static_cast<size_t>(limit) < idle.size(); ++i) {
    Call("DELETE", Path(ns, "replicasets", Str(*Member(*idle[i], "metadata"), "name")), "");
  }
  // kube-controller-manager also records the new ReplicaSet's revision on the Deployment
  // (SetDeploymentRevision); clients such as the operator's health check match the two.
  // `d` stays alive: `spec` and `m` point into it.
  ObjectPtr current = new_rs ? RecordDeploymentRevision(key, RevisionOf(*new_rs)) : d;
  if (current == nullptr) return;
  WriteDeploymentStatus(*current, Owned("apps/replicasets", ns, Str(m, "uid")), new_name, created);
}

void Cluster::WriteDeploymentStatus(const Json& deployment, const std::vector<ObjectPtr>& sets,
                                    const std::string& new_name, bool created) {
  const Json& spec = *Member(deployment, "spec");
  int desired = IntAt(spec, "replicas", 1);
  int replicas = 0, updated = 0, ready = 0, available = 0, total_spec = 0, old_replicas = 0;
  for (const auto& rs : sets) {
    int n = IntAt(*rs, "status.replicas");
    replicas += n;
    ready += IntAt(*rs, "status.readyReplicas");
    available += IntAt(*rs, "status.availableReplicas");
    total_spec += IntAt(*rs, "spec.replicas");
    if (Str(*Member(*rs, "metadata"), "name") == new_name) {
      updated = n;
    } else {
      old_replicas += n;
    }
  }
  const Json* generation = AtPath(deployment, "metadata.generation");
  rapidjson::Document object = Clone(deployment);
  Alloc& alloc = object.GetAllocator();
  Json previous(rapidjson::kObjectType);
  if (const Json* s = Member(deployment, "status")) previous.CopyFrom(*s, alloc);
  Json status(rapidjson::kObjectType);
  if (generation) Set(status, "observedGeneration", *generation, alloc);
  SetCount(status, "replicas", replicas, alloc);
  SetCount(status, "updatedReplicas", updated, alloc);
  SetCount(status, "readyReplicas", ready, alloc);
  SetCount(status, "availableReplicas", available, alloc);
  SetCount(status, "unavailableReplicas", std::max(0, total_spec - available), alloc);
  Json conditions(rapidjson::kArrayType);
  if (const Json* c = Member(previous, "conditions")) conditions.CopyFrom(*c, alloc);
  std::string now = Now();
  const std::vector<std::string> times = {"lastUpdateTime", "lastTransitionTime"};
  std::string quoted = "\"" + new_name + "\"";
  if (created) {
    SetCondition(
        conditions,
        {"Progressing", "True", "NewReplicaSetCreated", "Created new replica set " + quoted}, now,
        times, alloc);
  }
  if (available >= desired - LimitsOf(spec).max_unavailable) {
    SetCondition(
        conditions,
        {"Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."},
        now, times, alloc);
  } else {
    SetCondition(conditions,
                 {"Available", "False", "MinimumReplicasUnavailable",
                  "Deployment does not have minimum availability."},
                 now, times, alloc);
  }
  auto was = [&](const char* field) {
    const Json* v = Member(previous, field);
    return v && v->IsInt() ? v->GetInt() : 0;
  };
  int was_old = was("replicas") - was("updatedReplicas");
  bool complete = updated == desired && replicas == desired && available == desired;
  bool progressing = updated > was("updatedReplicas") || old_replicas < was_old ||
                     ready > was("readyReplicas") || available > was("availableReplicas");
  if (complete) {
    SetCondition(conditions,
                 {"Progressing", "True", "NewReplicaSetAvailable",
                  "ReplicaSet " + quoted + " has successfully progressed."},
                 now, times, alloc);
  } else if (progressing && !created) {
    SetCondition(
        conditions,
        {"Progressing", "True", "ReplicaSetUpdated", "ReplicaSet " + quoted + " is progressing."},
        now, times, alloc);
  }
  Set(status, "conditions", conditions, alloc);
  if (Dump(status) == Dump(previous)) return;
  Set(object, "status", status, alloc);
  const Json& m = *Member(deployment, "metadata");
  PutStatus(Path(Str(m, "namespace"), "deployments", Str(m, "name")), object);
}

}  // namespace sandbox::sim
