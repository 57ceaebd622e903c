#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"
#include "core/mattermost/resource_patch.h"
#include "core/random_id.h"
#include "core/result.h"

namespace mm {

// One child object of a Mattermost as the operator wants it. `object` is the desired object;
// null means "must not exist": the operator deletes it when present (a disabled Ingress,
// an unneeded IngressClass, a job-server Deployment that is not wanted).
struct DesiredChild {
  std::string api_version;
  std::string kind;
  std::string name;
  std::shared_ptr<const rapidjson::Document> object;  // shared with the plan's actions
  bool create_only = false;  // created when missing, never updated (the MySQL secret)
  // The live object's `data` replaces ours when it holds every key of ours (the MinIO secret
  // keeps its keys, only its metadata is reconciled); otherwise ours, fresh, is written.
  bool keep_live_data = false;
};

// Everything one reconcile wants: the children and the status.resourcePatch entries the
// operator writes (std::nullopt = entry cleared). When `error` is set the operator's reconcile
// fails at that point (status.error): `children` are only those it handles before, and the
// patch entries are not touched.
struct DesiredState {
  std::vector<DesiredChild> children;
  std::optional<PatchStatus> service_patch;
  std::optional<PatchStatus> deployment_patch;
  std::string error;
};

// Returns the desired children of a defaulted `mattermost`, in the operator's reconcile order
// (§3.0): MysqlCluster, MinIOInstance, local PVC, Service, ServiceAccount, Role, RoleBinding,
// IngressClass, Ingress, Deployment, job-server Deployment. Objects the operator leaves alone
// (the Ingress under useServiceLoadBalancer, a user-managed ServiceAccount) are not listed.
// Fails (kInvalid) for an unsupported operator-managed database type and for a missing or
// incomplete external DB secret (CheckExternalDatabaseSecret): the operator stops before any
// child. The later checks on `facts` (referenced_objects.h: the MySQL secret after the
// MysqlCluster and that secret, the file store before its objects, the license before the
// Service) stop the operator after some children: they set DesiredState::error. The
// generated Secrets of the operator-managed MySQL and MinIO (create-only) are included only when
// `random` is given. The Service and both Deployments have spec.resourcePatch applied (§3.1.5); the
// job-server outcome overwrites the main Deployment's, as in the operator.
Result<DesiredState> BuildChildren(const Mattermost& mattermost, const ClusterFacts& facts,
                                   const RandomBytes* random = nullptr);

}  // namespace mm
