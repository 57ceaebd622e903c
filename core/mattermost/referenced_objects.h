#pragma once

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"
#include "core/result.h"

namespace mm {

// Checks, in the operator's order and with its messages, the objects a Mattermost refers to but
// the operator never creates (operator.md §3.5, §3.7, the external file store): for an external
// file store, the ServiceAccount `<mm>` with annotation `eks.amazonaws.com/role-arn` when
// useServiceAccount is set, else the file-store secret with keys `accesskey` and `secretkey`;
// then the license secret with key `license`. Facts that were not looked up are not checked.
// Fails (kInvalid) with the first problem.
Result<void> CheckReferencedObjects(const Mattermost& mattermost, const ClusterFacts& facts);

}  // namespace mm
