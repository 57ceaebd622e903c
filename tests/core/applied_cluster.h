#pragma once

#include <rapidjson/document.h>

#include <list>
#include <string>

#include "core/mattermost/reconcile.h"
#include "core/result.h"

namespace mm::bench {

// What a cluster holds after our own client-side reconcile wrote a Mattermost's children: each
// object of `plan` (Reconcile against an empty cluster) server-side applied, as the engine does
// (fieldManager kubectl-mattermost, force), to an in-process sandbox API server, then read back
// with its server-set fields (uid, resourceVersion, creationTimestamp, managedFields, defaults,
// cluster IPs). No controllers run, so there is no status. Fails when the sandbox refuses a write.
class AppliedCluster {
 public:
  static Result<AppliedCluster> Apply(const std::string& namespace_name, const Plan& plan);

  // The stored objects by ObjectKey; pointers stay valid while this object lives.
  const ObservedState& observed() const { return observed_; }

 private:
  std::list<rapidjson::Document> stored_;
  ObservedState observed_;
};

}  // namespace mm::bench
