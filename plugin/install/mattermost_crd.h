#pragma once

#include <ostream>

#include "core/result.h"
#include "kubeapi/client.h"

namespace mm {

inline constexpr char kMattermostCrdName[] = "mattermosts.installation.mattermost.com";

// Makes sure the Mattermost CRD is served. Returns when it exists (reporting nothing); otherwise
// installs it from the embedded operator manifest (server-side apply), waits until it is
// Established and writes one progress line on `progress`. With `dry_run` it only reports what it
// would do. Fails with kInvalid naming the permission when the user may not read or create
// customresourcedefinitions, or with the API error.
Result<void> EnsureMattermostCrd(kubeapi::Client& client, bool dry_run, std::ostream& progress);

}  // namespace mm
