#pragma once

#include <string>

namespace mm {

// What this binary was built from. Filled in by the build (cmake/WriteBuildInfo.cmake).
struct BuildInfo {
  std::string git_version;     // "v0.1.0"
  std::string git_commit;      // full commit hash, or "unknown" outside a git checkout
  std::string git_tree_state;  // "clean", "dirty" or "unknown"
  std::string build_date;      // the commit's date (UTC, RFC 3339): builds are reproducible
  std::string compiler;        // e.g. "GNU-12.2.0"
};

// Returns the process-wide build information; never fails.
const BuildInfo& GetBuildInfo();

}  // namespace mm
