#pragma once

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"
#include "core/result.h"

namespace mm {

// The checks the operator makes on objects a Mattermost refers to, or reads back, but does not
// build from the spec alone, each with the operator's message (what it writes to status.error).
// Facts that were not looked up (std::nullopt: an offline render) are not checked. Each fails
// with kInvalid and the first problem.

// The operator-managed MySQL secret, once it exists (§3.9): ROOT_PASSWORD, USER, PASSWORD and
// DATABASE non-empty, in that order.
Result<void> CheckMysqlSecret(const ClusterFacts& facts);

// The file store's step (§3.1.3, §3.5, §3.10, §3.11): for an external store, the ServiceAccount
// `<mm>` with annotation `eks.amazonaws.com/role-arn` when useServiceAccount is set, else the
// secret; then a non-empty bucket; then the secret's keys `accesskey` and `secretkey`. For an
// external volume, the claim exists and is Bound or Pending. For the local store, explicit
// access modes equal (as a set) those of an existing claim. For MinIO, the MinIO operator's
// Service `<mm>-minio-hl-svc` exists.
Result<void> CheckFileStoreReferences(const Mattermost& mattermost, const ClusterFacts& facts);

// The license secret (§3.7) exists and has key `license`.
Result<void> CheckLicenseSecret(const Mattermost& mattermost, const ClusterFacts& facts);

// All of the above, in the operator's order: MySQL secret, file store, license.
Result<void> CheckReferencedObjects(const Mattermost& mattermost, const ClusterFacts& facts);

// True when `a` and `b` hold the same access modes (same length, every mode of `a` in `b`), as
// the operator compares them.
bool SameAccessModes(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace mm
