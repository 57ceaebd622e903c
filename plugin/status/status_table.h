#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <vector>

#include "kubeapi/clock.h"

namespace mm {

// One installation's line of `kubectl mattermost status`.
struct StatusRow {
  std::string namespace_name;
  std::string name;
  std::string state;     // status.state, "<none>" before the first reconcile
  std::string version;   // spec.version
  std::string replicas;  // "<updated available>/<desired>"
  std::string endpoint;
  std::string age;
  std::string mode;  // "operator" or "client"
  std::string error;
  std::string image;       // wide: spec image:version
  std::string generation;  // wide: "<observed>/<generation>"
};

// Returns the row of a Mattermost object at time `now`; `mode` says who reconciles it.
StatusRow StatusRowFor(const rapidjson::Value& mattermost, kubeapi::Clock::TimePoint now,
                       const std::string& mode);

// Returns the rows as a kubectl-style table (columns padded to their widest cell, three spaces
// apart): NAME STATE VERSION REPLICAS ENDPOINT AGE MODE ERROR, with NAMESPACE first when
// `all_namespaces`, and IMAGE and OBSERVED (observedGeneration/generation) added when `wide`.
std::string FormatStatusTable(const std::vector<StatusRow>& rows, bool all_namespaces, bool wide);

// Formats any table: the header row, then the rows, padded as kubectl pads.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace mm
