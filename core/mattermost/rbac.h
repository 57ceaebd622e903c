#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <vector>

#include "core/mattermost/mattermost.h"

namespace mm {

// The ServiceAccount `<mm>` (§3.5): owner reference only. std::nullopt when
// fileStore.external.useServiceAccount, where the user manages it (and the operator requires it
// to exist with an eks.amazonaws.com/role-arn annotation).
std::optional<rapidjson::Document> BuildServiceAccount(const Mattermost& mattermost);

// The Role `<mm>` (§3.6): get/list/watch on the batch job `mattermost-db-setup`.
rapidjson::Document BuildRole(const Mattermost& mattermost);

// The RoleBinding `<mm>` of ServiceAccount `<mm>` to Role `<mm>` (roleRef.apiGroup as the API
// server defaults it).
rapidjson::Document BuildRoleBinding(const Mattermost& mattermost);

// The local file-store PVC `<mm>` (§3.11) for a new claim: labels L, owner reference,
// ReadWriteMany unless local.accessModes is given, local.storageSize or 50Gi. std::nullopt
// unless the local file store is active. `live_access_modes` (may be nullptr) are the modes of
// an existing claim, kept when the spec names none, and also when the spec names the same modes
// in another order (fixed: the operator would send the spec's order, an immutable change).
std::optional<rapidjson::Document> BuildLocalPvc(const Mattermost& mattermost,
                                                 const std::vector<std::string>* live_access_modes);

}  // namespace mm
