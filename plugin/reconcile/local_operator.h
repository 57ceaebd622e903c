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
  int verbosity = 0;           // -v: from 2, a line for every pass, also those with no change
};

// `reconcile --watch`: a local operator. Informers (list, then watch) on Mattermosts and on the
// kinds whose changes matter to them (Deployments, ReplicaSets, Services, Ingresses, Jobs) keep a
// cache and turn every event into a queued reconcile of the owning installation (owner
// reference, else the installation label); workers run engine::ReconcileOnce reading only from
// the caches (a kind a pass reads that has no informer yet, e.g. Secrets, gets one on first
// read), so once in sync a pass sends no GET or LIST, and a pass with nothing to do no write.
// Passes requeue after the plan's delay (6 s health, 10 s update job), after 20 s when the
// concurrency limit is reached, as the operator does, and after 1 s on a conflict (the cache
// was behind). Prints one line per pass that wrote something or failed on streams.err (with -v=2
// also passes that changed nothing and installations held back by the limit), and the
// number of passes and writes when it stops. SIGINT/SIGTERM stop it cleanly (in-flight passes
// finish). Returns kInterrupted after SIGINT, success after SIGTERM; fails when an informer
// fails (e.g. the CRD is missing, or listing a kind is forbidden).
Result<void> RunLocalOperator(kubeapi::Client& client, const LocalOperatorOptions& options,
                              IOStreams& streams);

}  // namespace mm
