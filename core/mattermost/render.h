#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

#include "core/mattermost/cluster_facts.h"
#include "core/result.h"

namespace mm {

// Renders one Mattermost resource offline, as the operator would reconcile it: returns the
// defaulted Mattermost followed by every child object it creates, in reconcile order. A resource
// without metadata.namespace is placed in `default_namespace`. Fails with kInvalid when the
// resource does not parse, fails ValidateMattermost (all problems listed), or fails the
// operator's defaulting.
Result<std::vector<rapidjson::Document>> RenderMattermost(rapidjson::Document resource,
                                                          const ClusterFacts& facts,
                                                          const std::string& default_namespace);

// Returns the keys and values of a v1 Secret (data decoded from base64, stringData as is, the
// latter winning), for ClusterFacts::external_db_secret.
std::map<std::string, std::string> SecretKeys(const rapidjson::Value& secret);

}  // namespace mm
