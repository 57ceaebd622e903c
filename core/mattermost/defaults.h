#pragma once

#include <rapidjson/document.h>

#include "core/mattermost/mattermost.h"
#include "core/result.h"

namespace mm {

inline constexpr char kDefaultMattermostImage[] = "mattermost/mattermost-enterprise-edition";
inline constexpr char kDefaultMattermostVersion[] = "10.8.1";
inline constexpr char kDefaultPullPolicy[] = "IfNotPresent";
inline constexpr char kDefaultStorageSize[] = "50Gi";
inline constexpr char kDefaultDatabaseType[] = "mysql";
inline constexpr char kDefaultDatabaseVersion[] = "8.0";

// Returns a copy of `mattermost`'s document with the operator's defaults applied, exactly as the
// operator writes the spec back (§2.1 SetDefaults, then §2.2 size -> replicas/resources, `size`
// erased; quantities in the resources it touches written in canonical form). Unknown fields and
// everything else are kept. Fails with kInvalid carrying the operator's SetDefaults message
// (`awsLoadBalancerController.hosts is required, but not set`, `ingress.host required, but not
// set`, an unsupported volume source) or a malformed quantity. An unknown size is not an error
// here (the operator falls back to filling unset fields from 5000users); ValidateMattermost
// reports it.
Result<rapidjson::Document> DefaultMattermost(const Mattermost& mattermost);

// Parses the result of DefaultMattermost (ParseDefaulted): the view the child builders take.
// `mattermost` is taken by value: move in one the caller no longer needs, and its strings and
// maps become the result's instead of being copied.
Result<Mattermost> DefaultedMattermost(Mattermost mattermost);

}  // namespace mm
