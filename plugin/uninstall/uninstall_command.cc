#include "plugin/uninstall/uninstall_command.h"

#include <algorithm>

#include "core/json.h"
#include "plugin/engine/operator_detect.h"
#include "plugin/install/operator_install.h"
#include "plugin/install/operator_manifest.h"
#include "plugin/interrupt.h"

namespace mm {

void UninstallOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("delete-crds",
      "Also delete the CRDs, and with them every Mattermost installation (asks first).",
      cxxopts::value(delete_crds_));
  add("yes", "Do not ask for confirmation.", cxxopts::value(yes_));
}

Result<void> UninstallOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  operator_namespace_ =
      factory.flags.overrides.namespace_name;  // -n: where install operator -n put it
  return {};
}

Result<void> UninstallOptions::Validate() const {
  if (args_.size() != 1 || args_[0] != "operator") {
    return Error::Usage("uninstall takes one argument: operator");
  }
  return {};
}

Result<void> UninstallOptions::Run(IOStreams& streams) {
  if (delete_crds_ && !yes_) {
    streams.err << "Deleting the CRDs deletes every Mattermost installation in the cluster. "
                   "Type 'yes' to continue: ";
    std::string answer;
    {
      InterruptGuard::ExitAtOnce at_once;  // nothing deleted yet; no token ends this read
      std::getline(streams.in, answer);
    }
    if (answer != "yes") return Error::Invalid("aborted: the CRDs were not deleted");
  }
  std::vector<rapidjson::Document> objects = EmbeddedOperatorObjects();
  std::reverse(objects.begin(), objects.end());
  for (rapidjson::Document& object : objects) {
    if (!operator_namespace_.empty()) {
      MoveToNamespace(object, engine::kOperatorNamespace, operator_namespace_);
    }
    std::string kind = GetString(object, "kind");
    if (kind == "Namespace" || (kind == "CustomResourceDefinition" && !delete_crds_)) continue;
    auto mapping = client_->mapper().MappingFor(object);
    if (!mapping) return std::move(mapping).error();
    const rapidjson::Value& metadata = object["metadata"];
    auto deleted = client_->rest().Delete(
        *mapping, mapping->namespaced ? GetString(metadata, "namespace") : "",
        GetString(metadata, "name"), {.propagation_policy = "Background"});
    if (!deleted && !IsNotFound(deleted.error())) return std::move(deleted).error();
    streams.out << KubectlName(object) << (deleted ? " deleted" : " not found") << "\n";
  }
  return {};
}

CommandSpec UninstallCommandSpec() {
  return {
      .name = "uninstall",
      .summary = "Uninstall the Mattermost operator",
      .description =
          "Delete the operator's Deployment, Service and RBAC (what 'install operator' applied). "
          "The namespace, the CRDs and every Mattermost installation are kept, so their "
          "children keep running and 'kubectl mattermost reconcile' can take over. "
          "--delete-crds also deletes the CRDs, and with them every installation.",
      .usage = "operator [-n NAMESPACE] [--delete-crds [--yes]]",
      .examples =
          "  # Remove the operator, keep every installation\n"
          "  $ uninstall operator\n"
          "\n"
          "  # The operator installed with 'install operator -n ops'\n"
          "  $ uninstall operator -n ops\n"
          "\n"
          "  # Remove everything, without a prompt\n"
          "  $ uninstall operator --delete-crds --yes\n",
      .make = [] { return std::make_unique<UninstallOptions>(); },
  };
}

}  // namespace mm
