#pragma once

#include <rapidjson/document.h>

#include <deque>
#include <string>

#include "core/mattermost/children.h"
#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"
#include "core/mattermost/reconcile.h"
#include "core/result.h"
#include "kubeapi/client.h"

namespace mm::engine {

// The live objects one reconcile reads, and the ObservedState view core::Reconcile takes. The
// view's pointers point into `documents`, which this struct owns (a deque: pointers stay valid
// as it grows). Not copyable.
struct Observation {
  std::deque<rapidjson::Document> documents;
  ObservedState state;

  Observation() = default;
  Observation(const Observation&) = delete;
  Observation& operator=(const Observation&) = delete;
};

// Reads the cluster facts a defaulted `mattermost` needs before its children can be built
// (operator.md §3.1.1, §3.7, §3.9, §3.10): the license secret's `license` key, the external DB
// secret's data, the operator-managed MySQL secret's DATABASE (default when the secret does not
// exist yet: the plan creates it), the MinIO service's port. Fails with kInvalid in the
// operator's words when a required object or key is missing, or with the API error.
Result<ClusterFacts> ReadClusterFacts(kubeapi::Client& client, const Mattermost& mattermost);

// Reads every live child of `desired` (by kind and name), the update Job, and the objects the
// health check lists (ReplicaSets, Services, Ingresses of the installation), into `observation`.
// `live_mattermost` is the Mattermost as read (for its current status). Fails with the API error
// of a read (NotFound is absence, not an error).
Result<void> ObserveChildren(kubeapi::Client& client, const Mattermost& mattermost,
                             const DesiredState& desired, const rapidjson::Value& live_mattermost,
                             Observation& observation);

}  // namespace mm::engine
