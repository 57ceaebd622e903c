#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_builder.h"
#include "core/mattermost/mattermost.h"
#include "core/mattermost/resource_patch.h"

namespace mm {

// status of a Mattermost (§1.2). `state` is "", "reconciling", "ready" or "stable".
struct MattermostStatus {
  std::string state;
  std::string version;
  std::string image;
  std::string endpoint;
  int32_t replicas = 0;
  int32_t updated_replicas = 0;
  int64_t observed_generation = 0;
  std::string error;
  std::optional<PatchStatus> service_patch;
  std::optional<PatchStatus> deployment_patch;
  bool operator==(const MattermostStatus&) const = default;
};

// Reads .status of a Mattermost document (absent fields are zero values).
MattermostStatus ReadMattermostStatus(const rapidjson::Value& resource);

// The status as the operator serializes it (Go omitempty: zero values left out).
Json StatusJson(const MattermostStatus& status);

// The live objects the health check reads (§6.2); pointers are owned by the caller and may be
// null/empty when the objects do not exist.
struct HealthObservation {
  const rapidjson::Value* deployment = nullptr;             // Deployment <mm>
  const rapidjson::Value* job_server_deployment = nullptr;  // Deployment <mm>-jobserver
  std::vector<const rapidjson::Value*> replica_sets;        // ReplicaSets of the namespace
  std::vector<const rapidjson::Value*> services;            // Services of the namespace
  std::vector<const rapidjson::Value*> ingresses;           // Ingresses of the namespace
};

struct HealthResult {
  MattermostStatus status;  // the fresh status to write
  bool healthy = false;     // false: requeue after 6 s
  std::string reason;       // why not healthy, for humans
};

// The operator's health check (§6.2), run on a defaulted `mattermost`: builds a fresh status
// (resourcePatch kept from `previous`), checks the ReplicaSet rollout, replicas, the endpoint
// and the dedicated job server, and ends in `reconciling`, `ready` or `stable`. QUIRK fixed:
// the endpoint's Service/Ingress is found by the selector labels S, not by the pod labels P
// (with podTemplate.extraLabels the operator never finds it and never leaves `reconciling`).
HealthResult CheckHealth(const Mattermost& mattermost, const HealthObservation& observed,
                         const MattermostStatus& previous);

// The provisioner's "stable" test (cloud-provisioner §3.7): metadata.generation equals
// status.observedGeneration and status.state is `stable`.
bool IsStable(const rapidjson::Value& resource);
// The same with state `ready` or `stable` (what a first creation accepts).
bool IsReadyOrStable(const rapidjson::Value& resource);

}  // namespace mm
