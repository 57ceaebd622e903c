#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/sandbox/json_util.h"

namespace sandbox::sim {

// The arithmetic of kube-controller-manager's deployment controller, free of any store so it can
// be tested with tables (pkg/controller/deployment: rolling.go, sync.go, util/deployment_util.go).

// maxSurge and maxUnavailable resolved against spec.replicas.
struct RolloutLimits {
  int max_surge = 0;
  int max_unavailable = 0;
};

// Resolves an intOrString field ("25%" or 3) against `total`; percentages round up when
// `round_up`, else down. A missing or malformed value resolves to `fallback_percent` percent.
int ResolveIntOrPercent(const Json* value, int total, bool round_up, int fallback_percent);
// RollingUpdate limits of a Deployment spec (defaults 25%/25%; both zero makes unavailable 1).
// Recreate, or zero replicas: {0, 0}.
RolloutLimits LimitsOf(const Json& deployment_spec);

// The pod-template-hash label value: FNV-1a 32 of the template's JSON text, printed in decimal and
// mapped onto the alphabet of rand.SafeEncodeString, as ComputeHash does.
std::string PodTemplateHash(const Json& pod_template);
// rand.SafeEncodeString: each byte picks a character of "bcdfghjklmnpqrstvwxz2456789".
std::string SafeEncode(std::string_view text);

// What the controller knows about one ReplicaSet of a Deployment.
struct ReplicaSetCounts {
  int spec = 0;       // spec.replicas
  int available = 0;  // status.availableReplicas
};

// The new ReplicaSet's next spec.replicas during a rolling update (NewRSNewReplicas).
int NewReplicaSetTarget(int desired, const RolloutLimits& limits, int new_spec, int all_spec);
// Old ReplicaSets' next spec.replicas (oldest first) during a rolling update: unhealthy replicas
// go first, then available ones while availability stays >= desired - maxUnavailable
// (reconcileOldReplicaSets).
std::vector<int> OldReplicaSetTargets(int desired, const RolloutLimits& limits,
                                      const ReplicaSetCounts& new_rs,
                                      const std::vector<ReplicaSetCounts>& old_rs);

// A condition to set on status.conditions.
struct Condition {
  std::string type;
  std::string status;  // "True" / "False"
  std::string reason;
  std::string message;
};

// SetDeploymentCondition / SetJobCondition semantics on `conditions` (an array): an existing
// condition with the same status and reason is left alone; otherwise the condition is replaced
// (keeping lastTransitionTime when the status is unchanged) and moved last. `times` lists the
// timestamp fields to write ("lastUpdateTime", "lastProbeTime", "lastTransitionTime"). Returns
// whether anything changed.
bool SetCondition(Json& conditions, const Condition& condition, const std::string& now,
                  const std::vector<std::string>& times, Alloc& alloc);
// The condition `type` of an object's status, or nullptr.
const Json* FindCondition(const Json& object, std::string_view type);

}  // namespace sandbox::sim
