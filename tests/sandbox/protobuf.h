#pragma once

#include <string_view>

#include "core/result.h"
#include "tests/sandbox/json_util.h"

namespace sandbox {

// Decodes a Kubernetes protobuf request body ("k8s\0" + runtime.Unknown envelope) into the JSON
// object kube-apiserver would have decoded. kubectl 1.32+ sends protobuf for the objects its
// `create <kind>`, `run`, `expose` and `auth` generators build, so the common built-in kinds are
// covered (Namespace, ConfigMap, Secret, ServiceAccount, Pod, Service, Deployment, Job, CronJob,
// RBAC roles and bindings, PodDisruptionBudget, the self-subject reviews); fields outside the
// table are skipped. Fails (415-worthy) for other kinds and on malformed input.
mm::Result<rapidjson::Document> DecodeKubeProtobuf(std::string_view body);

}  // namespace sandbox
