#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/io_streams.h"
#include "plugin/output_format.h"

namespace mm {

struct OperatorInstallSettings {
  std::string from_file;         // apply this manifest instead of the embedded one
  std::string dry_run = "none";  // "none", "client" or "server"
  OutputFormat format = OutputFormat::kHuman;
  bool wait = false;
  std::chrono::milliseconds timeout{0};
  std::string timeout_text;
};

// Returns the objects of the embedded operator manifest (operator v1.25.9), in apply order.
std::vector<rapidjson::Document> EmbeddedOperatorObjects();

// Returns how kubectl names an object in its output: "deployment.apps/mattermost-operator",
// "namespace/mattermost-operator".
std::string KubectlName(const rapidjson::Value& object);

// `install operator`: server-side applies the objects (the embedded manifest, or --from FILE) in
// dependency order — Namespace, CRDs (then waits until each is Established), RBAC, Service,
// Deployment — printing "<kind.group>/<name> created|configured|unchanged" for each on
// streams.out and a summary on streams.err ("nothing changed" when every object was unchanged).
// With --wait it then waits for the operator Deployment to be available. A dry run applies
// nothing (server: ?dryRun=All) and -o prints the objects. Fails with the first API error,
// kTimeout when a wait expires, or kUsage for an unreadable --from file.
Result<void> RunOperatorInstall(kubeapi::Client& client, const OperatorInstallSettings& settings,
                                IOStreams& streams);

// Server-side applies `crd` and waits (until `deadline`) for it to be Established. Fails with the
// API error or kTimeout.
Result<void> ApplyCrdAndWait(kubeapi::Client& client, const rapidjson::Value& crd,
                             std::chrono::system_clock::time_point deadline);

}  // namespace mm
