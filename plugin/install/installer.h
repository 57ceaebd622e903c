#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "kubeapi/client.h"
#include "kubeapi/secret.h"
#include "plugin/io_streams.h"
#include "plugin/output_format.h"

namespace mm {

enum class InstallMode;

// A Secret install creates from a file the user named (never from argv values).
struct FileSecret {
  std::string name;
  std::string key;
  kubeapi::SecretString value;
};

// A Secret the resource refers to that must already exist with `key` ("" = any keys).
struct RequiredSecret {
  std::string what;  // "database", "file store", "license"
  std::string name;
  std::string key;
};

// The settled inputs of one `install NAME` run, after Complete, Validate and the local checks.
struct InstallPlan {
  rapidjson::Document resource;  // the defaulted Mattermost to apply
  // The Mattermost as it was read before the run, when it exists (says created/configured).
  std::optional<rapidjson::Document> live;
  std::vector<FileSecret> secrets;
  std::vector<RequiredSecret> required_secrets;
  InstallMode mode;
  bool create_namespace = false;
  std::string dry_run;  // "none", "client" or "server"
  OutputFormat format = OutputFormat::kHuman;
  bool wait = false;
  std::chrono::milliseconds timeout{0};
  std::string timeout_text;
};

// Carries out `plan` against the cluster: picks the mode, checks the namespace and the secrets
// the resource refers to (before any write, so bad input writes nothing), then creates the
// namespace and the file secrets, applies the Mattermost, and reconciles it client-side or lets
// the operator do it; waits when asked. Progress goes to streams.err, the result to streams.out.
// Fails with kInvalid for a missing namespace or secret or a running operator in client mode,
// kTimeout when --wait expires, or the API error.
Result<void> RunInstall(kubeapi::Client& client, InstallPlan& plan, IOStreams& streams);

}  // namespace mm
