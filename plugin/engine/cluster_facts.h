#pragma once

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"
#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/engine/cluster_reader.h"

namespace mm::engine {

// Reads, through `reader`, what the operator reads from the cluster for a defaulted `mattermost`
// (operator.md §3.1.1, §3.5, §3.7, §3.9-§3.11): the external DB secret's data, the
// operator-managed MySQL secret (when it exists), the file store's secret, ServiceAccount,
// claim or MinIO Service, and the license secret. Missing objects are facts, not failures:
// core (BuildChildren) turns them into the operator's errors at the step where the operator
// fails. Fails with kInvalid in the operator's words when the external DB secret is missing
// (its first step), or with the API error of a read. Mappings come from `client`.
Result<ClusterFacts> ReadClusterFacts(kubeapi::Client& client, ClusterReader& reader,
                                      const Mattermost& mattermost);

}  // namespace mm::engine
