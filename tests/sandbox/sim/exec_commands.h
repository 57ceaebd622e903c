#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sandbox::sim {

// The container an exec runs in, as the simulated kubelet knows it.
struct ExecContainer {
  std::string pod_name;
  std::string container;
  std::string image;
  // spec.containers[].env in order; valueFrom entries are shown unresolved, e.g.
  // `<valueFrom secretKeyRef db/DB_CONNECTION_STRING>` (a secret's value is never printed).
  std::vector<std::pair<std::string, std::string>> env;
};

struct ExecResult {
  std::string out, err;
  int exit_code = 0;
};

// Runs one built-in command that does not read stdin (README's exec table): `echo`, `env`,
// `true`, `false`, `sh -c SCRIPT` (SCRIPT split on spaces and run as one built-in, or `exit N`),
// and in mattermost/* images `mattermost version` and `mmctl --local system status`. Anything
// else fails like a missing executable: exit 127 with a message on stderr. `cat` streams stdin
// and is run by ExecProcess (exec_process.h).
ExecResult RunBuiltin(const ExecContainer& container, const std::vector<std::string>& argv);

}  // namespace sandbox::sim
