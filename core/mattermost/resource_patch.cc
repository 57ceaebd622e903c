#include "core/mattermost/resource_patch.h"

#include <vector>

#include "core/json.h"
#include "core/json_patch.h"

namespace mm {
namespace {

const std::vector<std::string> kDeploymentForbiddenPrefixes = {
    "/spec/template/spec/hostNetwork",
    "/spec/template/spec/hostPID",
    "/spec/template/spec/hostIPC",
    "/spec/template/spec/volumes",
    "/spec/template/spec/serviceAccountName",
    "/spec/template/spec/serviceAccount",
    "/spec/template/spec/nodeSelector",
    "/spec/template/spec/nodeName",
    "/spec/template/spec/initContainers",
};
const std::vector<std::string> kDeploymentForbiddenSegments = {
    "/securityContext/privileged", "/securityContext/allowPrivilegeEscalation",
    "/securityContext/runAsUser", "/securityContext/capabilities"};
const std::vector<std::string> kServiceForbiddenPrefixes = {"/spec/selector", "/spec/externalIPs",
                                                            "/spec/externalName"};

bool UnderPrefix(const std::string& path, const std::string& prefix) {
  return path == prefix || path.rfind(prefix + "/", 0) == 0;
}

// Returns the operator's message for the first operation on a forbidden path, "" when none.
Result<std::string> ForbiddenOperation(const std::string& patch,
                                       const std::vector<std::string>& prefixes,
                                       const std::vector<std::string>& segments) {
  auto operations = ParseJson(patch, "patch");
  if (!operations || !operations->IsArray()) {
    std::string reason = operations ? "expected a JSON array" : operations.error().message();
    return Error::Invalid("failed to decode patch operations for validation: " + reason);
  }
  for (const rapidjson::Value& operation : operations->GetArray()) {
    std::string path = GetString(operation, "path");
    bool forbidden = false;
    for (const std::string& prefix : prefixes) forbidden = forbidden || UnderPrefix(path, prefix);
    for (const std::string& segment : segments) {
      forbidden = forbidden || path.find(segment) != std::string::npos;
    }
    if (forbidden) {
      return "patch operation \"" + GetString(operation, "op") + "\" on forbidden path \"" + path +
             "\" is not allowed";
    }
  }
  return std::string();
}

// `kind` names the object in the controller's wrapping ("Deployment"), `what` in the patch
// package's ("deployment"): the status carries the whole chain of the operator's messages.
std::optional<PatchStatus> Apply(const std::optional<ResourcePatchEntry>& entry,
                                 const std::string& kind, const std::string& what,
                                 const std::vector<std::string>& prefixes,
                                 const std::vector<std::string>& segments,
                                 rapidjson::Document& object) {
  if (!entry || entry->disable || entry->patch.empty()) return std::nullopt;
  const std::string failed = "failed to apply patch to " + kind + ": ";
  auto forbidden = ForbiddenOperation(entry->patch, prefixes, segments);
  if (!forbidden || !forbidden->empty()) {
    std::string reason = forbidden ? *forbidden : forbidden.error().message();
    return PatchStatus{false, failed + what + " patch validation failed: " + reason};
  }
  rapidjson::Document patched;
  patched.CopyFrom(object, patched.GetAllocator());
  auto applied = ApplyJsonPatch(patched, entry->patch);
  if (!applied) {
    // The innermost text is our JSON-patch library's, not evanphx/json-patch's (QUIRKS.md).
    return PatchStatus{false, failed + "failed to apply patch to " + what +
                                  ": failed to apply JSON patches: failed to apply patch: " +
                                  entry->patch + ": " + applied.error().message()};
  }
  object.Swap(patched);
  return PatchStatus{true, ""};
}

}  // namespace

std::optional<PatchStatus> ApplyDeploymentPatch(const Mattermost& mattermost,
                                                rapidjson::Document& deployment) {
  return Apply(mattermost.spec.deployment_patch, "Deployment", "deployment",
               kDeploymentForbiddenPrefixes, kDeploymentForbiddenSegments, deployment);
}

std::optional<PatchStatus> ApplyServicePatch(const Mattermost& mattermost,
                                             rapidjson::Document& service) {
  return Apply(mattermost.spec.service_patch, "Service", "service", kServiceForbiddenPrefixes, {},
               service);
}

}  // namespace mm
