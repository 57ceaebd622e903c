#pragma once

#include <string>
#include <vector>

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/env.h"
#include "core/mattermost/mattermost.h"
#include "core/result.h"

namespace mm {

// `db-` + the first 6 hex digits of md5(name): the operator-managed MysqlCluster's name.
std::string MysqlClusterName(const std::string& mattermost_name);
// `<mm>-mysql-root-password`.
std::string MysqlSecretName(const Mattermost& mattermost);

// Checks the external DB secret as the operator does when it reads it (§3.1.2), whatever the
// readiness mode: DB_CONNECTION_STRING present and non-empty; DB_CONNECTION_CHECK_URL, when
// present, a URL with a hostname and a scheme allowed for the DB type (mysql: http, https;
// postgres: http, https, postgres; unknown: http, https, mysql, postgres). Fails with kInvalid
// and the operator's message. Succeeds without checking for a non-external database.
Result<void> CheckExternalDatabaseSecret(const Mattermost& mattermost, const ClusterFacts& facts);

// Group A of the env (§3.1.1) for the database mode.
std::vector<EnvEntry> DatabaseEnv(const Mattermost& mattermost, const ClusterFacts& facts);

// The DB readiness init containers (§3.1.2): none, `init-check-database` (external DB, external
// or builtin mode) or `init-check-operator-mysql`.
std::vector<Json> DatabaseInitContainers(const Mattermost& mattermost, const ClusterFacts& facts);

}  // namespace mm
