#pragma once

#include <rapidjson/document.h>

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"

namespace mm {

inline constexpr char kAppContainerName[] = "mattermost";
inline constexpr char kJobServerContainerName[] = "mattermost-jobserver";

// The Deployment `<mm>` the operator generates for a defaulted `mattermost` (§3.1), before the
// resource patch. The document owns all its data.
rapidjson::Document BuildDeployment(const Mattermost& mattermost, const ClusterFacts& facts);

// The dedicated job-server Deployment `<mm>-jobserver` (§3.8), built like the operator from the
// main Deployment: 1 replica, labels J, one container `mattermost-jobserver` running
// `mattermost jobserver` without ports or probes.
rapidjson::Document BuildJobServerDeployment(const Mattermost& mattermost,
                                             const ClusterFacts& facts);

}  // namespace mm
