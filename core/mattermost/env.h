#pragma once

#include <string>
#include <vector>

#include "core/json_builder.h"
#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"

namespace mm {

// One container environment variable under construction; `value` is the whole EnvVar object.
struct EnvEntry {
  std::string name;
  Json value;
};

// {name, value} (value left out when empty, as Go's omitempty does).
EnvEntry PlainEnv(std::string name, std::string value);
// {name, valueFrom: {secretKeyRef: {name: secret, key}}}.
EnvEntry SecretEnv(std::string name, std::string secret, std::string key);

// The main container's env in the operator's exact order (§3.1.1): database, file store,
// Elasticsearch, general, then spec.mattermostEnv merged (same name replaces in place, new
// names appended). The result refers to `mattermost`'s document, which must outlive it.
std::vector<EnvEntry> MattermostEnv(const Mattermost& mattermost, const ClusterFacts& facts);

// Merges `user` (an []EnvVar JSON array, may be nullptr) into `env` as the operator does.
void MergeEnv(std::vector<EnvEntry>& env, const rapidjson::Value* user);

// MM_FILESETTINGS_MAXFILESIZE for the ingress annotations (§3.1.1 D.8), in bytes.
std::string MaxFileSize(const Mattermost& mattermost);

// The env entries as a JSON array.
Json EnvArray(const std::vector<EnvEntry>& env);

}  // namespace mm
