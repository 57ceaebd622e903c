#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/mattermost/children.h"
#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"
#include "core/mattermost/reconcile.h"
#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/engine/cluster_reader.h"

namespace mm::engine {

// The live objects one reconcile reads, and the ObservedState view core::Reconcile takes. The
// view's pointers point into `held`, which this struct keeps alive. Not copyable.
struct Observation {
  std::vector<SharedObject> held;
  ObservedState state;

  Observation() = default;
  Observation(const Observation&) = delete;
  Observation& operator=(const Observation&) = delete;
};

// Reads every live child of `desired` (by kind and name), the update Job, and the objects the
// health check lists (ReplicaSets, Services, Ingresses of the installation), into `observation`.
// `live_mattermost` is the Mattermost as read (for its current status). Reads go through `reader`
// (mappings come from `client`). Fails with the API error of a read (NotFound is absence).
Result<void> ObserveChildren(kubeapi::Client& client, ClusterReader& reader,
                             const Mattermost& mattermost, const DesiredState& desired,
                             const rapidjson::Value& live_mattermost, Observation& observation);

}  // namespace mm::engine
