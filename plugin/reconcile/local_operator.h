#pragma once

#include <string>

#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/io_streams.h"

namespace mm {

struct LocalOperatorOptions {
  std::string namespace_name;  // "" = every namespace
  std::string name;            // "" = every installation
  int max_reconciling = 20;    // the operator's MAX_RECONCILING_INSTALLATIONS
  int workers = 4;             // reconciles running at once (MAX_RECONCILE_CONCURRENCY)
};

// `reconcile --watch`: a local operator. Informers (list, then watch) on Mattermosts and on the
// kinds whose changes matter to them (Deployments, ReplicaSets, Services, Ingresses, Jobs) turn
// every event into a queued reconcile of the owning installation (owner reference, else the
// installation label); workers run engine::ReconcileOnce, and requeue after the plan's delay
// (6 s health, 10 s update job) or after 20 s when the concurrency limit is reached, as the
// operator does. SIGINT/SIGTERM stop it cleanly (in-flight passes finish). Prints one line per
// pass that wrote something or failed on streams.err. Returns when stopped; fails only when an
// informer cannot start (e.g. the CRD is missing).
Result<void> RunLocalOperator(kubeapi::Client& client, const LocalOperatorOptions& options,
                              IOStreams& streams);

}  // namespace mm
