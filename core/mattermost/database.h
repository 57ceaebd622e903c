#pragma once

#include <string>
#include <vector>

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/env.h"
#include "core/mattermost/mattermost.h"

namespace mm {

// `db-` + the first 6 hex digits of md5(name): the operator-managed MysqlCluster's name.
std::string MysqlClusterName(const std::string& mattermost_name);
// `<mm>-mysql-root-password`.
std::string MysqlSecretName(const Mattermost& mattermost);

// Group A of the env (§3.1.1) for the database mode.
std::vector<EnvEntry> DatabaseEnv(const Mattermost& mattermost, const ClusterFacts& facts);

// The DB readiness init containers (§3.1.2): none, `init-check-database` (external DB, external
// or builtin mode) or `init-check-operator-mysql`.
std::vector<Json> DatabaseInitContainers(const Mattermost& mattermost, const ClusterFacts& facts);

}  // namespace mm
