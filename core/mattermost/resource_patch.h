#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

#include "core/mattermost/mattermost.h"

namespace mm {

// One entry of status.resourcePatch (`applied`, `error`).
struct PatchStatus {
  bool applied = false;
  std::string error;
  bool operator==(const PatchStatus&) const = default;
};

// Applies spec.resourcePatch.deployment to `deployment` as the operator does (§3.1.5): the patch
// is first checked against the forbidden paths (host namespaces, volumes, service account, node
// selection, init containers, privilege-related securityContext fields), then applied. On
// success `deployment` is replaced by the patched object and {applied: true} is returned; on any
// failure `deployment` is left unpatched and {applied: false, error} is returned. Returns
// std::nullopt (status entry cleared) when no patch is configured, it is disabled or empty.
std::optional<PatchStatus> ApplyDeploymentPatch(const Mattermost& mattermost,
                                                rapidjson::Document& deployment);

// The same for spec.resourcePatch.service, whose forbidden paths are /spec/selector,
// /spec/externalIPs and /spec/externalName.
std::optional<PatchStatus> ApplyServicePatch(const Mattermost& mattermost,
                                             rapidjson::Document& service);

}  // namespace mm
