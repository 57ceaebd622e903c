#pragma once

#include "tests/sandbox/resources.h"

namespace sandbox {

// The autoscaling/v1 Scale view of a scalable object (deployments, replicasets, statefulsets,
// CRDs with a scale subresource): spec.replicas, status.replicas and status.selector.
rapidjson::Document ScaleOf(const ResourceType& type, const Json& object);
// Sets the object's replicas (at the type's specReplicasPath) to `replicas`.
void SetReplicas(const ResourceType& type, rapidjson::Document& object, int64_t replicas);

}  // namespace sandbox
