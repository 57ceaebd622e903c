#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "plugin/install/operator_manifest.h"
#include "plugin/io_streams.h"
#include "plugin/output_format.h"

namespace mm {

struct OperatorInstallSettings {
  OperatorSources sources;       // what to apply (embedded manifest, --from, --with-*, -n)
  ManifestReader read;           // reads a --from / --with-* FILE or URL
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

// `install operator`: server-side applies the objects (LoadOperatorObjects: the embedded manifest
// or --from, after --with-mysql-operator / --with-minio-operator, in dependency order), waiting
// for each CRD to be Established before going on, and prints
// "<kind.group>/<name> created|configured|unchanged" for each on streams.out and a summary on
// streams.err ("nothing changed" when every object was unchanged). One request per object when
// the operator's namespace is new (the server's 201 tells "created"); when it exists, each object
// is read first so that unchanged ones say so. With --wait it then waits for every Deployment to
// be available and every StatefulSet to have its replicas ready, showing what it waits for on
// streams.err (Progress). A dry run applies nothing
// (server: ?dryRun=All) and -o prints the objects. Fails with the first API error, kTimeout when
// a wait expires, or the manifests' read or parse error.
Result<void> RunOperatorInstall(kubeapi::Client& client, const OperatorInstallSettings& settings,
                                IOStreams& streams);

// Server-side applies `crd` and waits (until `deadline`) for it to be Established. Fails with the
// API error or kTimeout.
Result<void> ApplyCrdAndWait(kubeapi::Client& client, const rapidjson::Value& crd,
                             std::chrono::system_clock::time_point deadline);

}  // namespace mm
