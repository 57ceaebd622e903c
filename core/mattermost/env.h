#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json_builder.h"
#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/mattermost.h"

namespace mm {

// One container environment variable under construction: `value` is the whole EnvVar object,
// `name` a view of its name (in `value`, or in the Mattermost's document for a user's entry).
// Entries cost no copy of a literal name or value (Json references literals).
struct EnvEntry {
  std::string_view name;
  Json value;
};

// {name, value} (value left out when empty, as Go's omitempty does). `name` and `value` are
// strings.
EnvEntry PlainEnv(Json name, Json value);
// {name, valueFrom: {secretKeyRef: {name: secret, key}}}. `name` is a string.
EnvEntry SecretEnv(Json name, Json secret, Json key);

// The main container's env in the operator's exact order (§3.1.1): database, file store,
// Elasticsearch, general, then spec.mattermostEnv merged (same name replaces in place, new
// names appended). The result refers to `mattermost`'s document, which must outlive it.
std::vector<EnvEntry> MattermostEnv(const Mattermost& mattermost, const ClusterFacts& facts);

// Merges `user` (an []EnvVar JSON array, may be nullptr) into `env` as the operator does.
void MergeEnv(std::vector<EnvEntry>& env, const rapidjson::Value* user);

// MM_FILESETTINGS_MAXFILESIZE for the ingress annotations (§3.1.1 D.8), in bytes.
std::string MaxFileSize(const Mattermost& mattermost);

// The env entries as a JSON array.
Json EnvArray(std::vector<EnvEntry> env);

}  // namespace mm
