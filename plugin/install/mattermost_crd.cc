#include "plugin/install/mattermost_crd.h"

#include "core/json.h"
#include "plugin/install/operator_install.h"

namespace mm {
namespace {

const kubeapi::ResourceMapping& CrdMapping() {
  return *kubeapi::BuiltinMapping("apiextensions.k8s.io/v1", "CustomResourceDefinition");
}

Error PermissionError(const std::string& verb) {
  return Error::Invalid(std::string("the Mattermost CRD (") + kMattermostCrdName +
                        ") is not installed and you may not " + verb +
                        " customresourcedefinitions.apiextensions.k8s.io: ask a cluster "
                        "administrator to run 'kubectl mattermost install operator' (or to apply "
                        "the CRD)");
}

}  // namespace

Result<void> EnsureMattermostCrd(kubeapi::Client& client, bool dry_run, std::ostream& progress) {
  auto crd = client.rest().Get(CrdMapping(), "", kMattermostCrdName);
  if (crd) return {};
  if (IsForbidden(crd.error())) {
    // Without read access we cannot tell; a served kind is enough to go on.
    if (client.mapper().Mapping("installation.mattermost.com/v1beta1", "Mattermost")) return {};
    return PermissionError("get");
  }
  if (!IsNotFound(crd.error())) return std::move(crd).error();
  for (const rapidjson::Document& object : EmbeddedOperatorObjects()) {
    const rapidjson::Value* metadata = FindMember(object, "metadata");
    if (metadata == nullptr || GetString(*metadata, "name") != kMattermostCrdName) continue;
    if (dry_run) {
      progress << "would install CustomResourceDefinition " << kMattermostCrdName << "\n";
      return {};
    }
    auto deadline = kubeapi::RealClock().Now() + std::chrono::minutes(1);
    auto installed = ApplyCrdAndWait(client, object, deadline);
    if (!installed && IsForbidden(installed.error())) return PermissionError("create");
    if (!installed) return std::move(installed).error();
    progress << "customresourcedefinition.apiextensions.k8s.io/" << kMattermostCrdName
             << " created\n";
    return {};
  }
  return Error::Internal("the embedded operator manifest has no Mattermost CRD");
}

}  // namespace mm
