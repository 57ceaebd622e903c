#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "core/mattermost/reconcile.h"
#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/engine/cluster_reader.h"

namespace mm::engine {

// The engine executes core's reconcile plans through kubeapi: it is the operator's controller
// loop, run from the plugin (client-side mode). It lives in plugin/engine/ because it needs the
// network (kubeapi) and core/ must stay pure; it never prints (callers format its results).

// The field manager of every server-side apply the plugin makes.
inline constexpr char kFieldManager[] = "kubectl-mattermost";

// What one reconcile pass of one Mattermost decided and did.
struct PassResult {
  Plan plan;                    // the decision (actions, requeue, error, status to write)
  bool spec_defaulted = false;  // the defaulted spec was (or, dry run, would be) written back
  bool status_written = false;  // status differed and was (or would be) written
  int writes = 0;               // requests that changed something (0 in a dry run)
  // The Mattermost as it is after the pass (the server's answer to the last write).
  std::shared_ptr<const rapidjson::Document> mattermost;
};

struct PassOptions {
  bool dry_run = false;  // decide and report, write nothing
  // Reconcile this resource instead of reading it (a dry-run install of a Mattermost that does
  // not exist yet). Borrowed; only with dry_run.
  const rapidjson::Value* resource = nullptr;
  // Where the pass reads the cluster (the Mattermost, secrets, children); null: straight from the
  // API server. Borrowed. Writes always go to the API server.
  ClusterReader* reader = nullptr;
};

// Runs one reconcile of Mattermost `namespace_name`/`name` exactly as the operator's controller
// would (operator.md §6.1): writes the defaulted spec back when defaulting changed it, reads the
// cluster facts and the live children, asks core::Reconcile for a plan, executes its actions
// (server-side apply with force as field manager kubectl-mattermost, deletes, the update Job),
// and writes status when it changed. Returns what happened, also when the plan failed
// (plan.error: a child not owned by this Mattermost, a failed update Job, a missing DB secret;
// written to status.error like the operator does). Fails with the API error of any request
// (NotFound when the Mattermost does not exist; a failed action after its error was written to
// status). `client` is borrowed.
Result<PassResult> ReconcileOnce(kubeapi::Client& client, const std::string& namespace_name,
                                 const std::string& name, const PassOptions& options);

// Records a failed reconcile of Mattermost `namespace_name`/`name` in its status as the operator
// does (operator.md §6.1): state reconciling, error `error`, observedGeneration = generation,
// the rest of the status kept; written through the status subresource only when it differs.
// For a failure seen outside a pass (the update Job's failure watched while it ran). Returns
// whether it wrote; fails with the API error.
Result<bool> RecordReconcileError(kubeapi::Client& client, const std::string& namespace_name,
                                  const std::string& name, const std::string& error);

}  // namespace mm::engine
