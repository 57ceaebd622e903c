#include "core/mattermost/rbac.h"

#include "core/json_builder.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/referenced_objects.h"
#include "core/quantity.h"

namespace mm {

std::optional<rapidjson::Document> BuildServiceAccount(const Mattermost& mattermost) {
  const auto& external = mattermost.spec.file_store.external;
  if (external && external->use_service_account) return std::nullopt;
  return Json::Object({{"apiVersion", "v1"},
                       {"kind", "ServiceAccount"},
                       {"metadata", ChildMetadata(mattermost, mattermost.name, {})}})
      .BuildDocument();
}

rapidjson::Document BuildRole(const Mattermost& mattermost) {
  return Json::Object({{"apiVersion", "rbac.authorization.k8s.io/v1"},
                       {"kind", "Role"},
                       {"metadata", ChildMetadata(mattermost, mattermost.name, {})},
                       {"rules", Json::Array({Json::Object(
                                     {{"verbs", Json::Array({"get", "list", "watch"})},
                                      {"apiGroups", Json::Array({"batch"})},
                                      {"resources", Json::Array({"jobs"})},
                                      {"resourceNames", Json::Array({"mattermost-db-setup"})}})})}})
      .BuildDocument();
}

rapidjson::Document BuildRoleBinding(const Mattermost& mattermost) {
  Json subject = Json::Object({{"kind", "ServiceAccount"},
                               {"name", mattermost.name},
                               {"namespace", mattermost.namespace_}});
  return Json::Object({{"apiVersion", "rbac.authorization.k8s.io/v1"},
                       {"kind", "RoleBinding"},
                       {"metadata", ChildMetadata(mattermost, mattermost.name, {})},
                       {"subjects", Json::Array({std::move(subject)})},
                       {"roleRef", Json::Object({{"apiGroup", "rbac.authorization.k8s.io"},
                                                 {"kind", "Role"},
                                                 {"name", mattermost.name}})}})
      .BuildDocument();
}

std::optional<rapidjson::Document> BuildLocalPvc(
    const Mattermost& mattermost, const std::vector<std::string>* live_access_modes) {
  if (mattermost.spec.file_store.Mode() != FileStoreMode::kLocal) return std::nullopt;
  const LocalFileStore& local = *mattermost.spec.file_store.local;
  std::vector<std::string> wanted = {"ReadWriteMany"};
  if (live_access_modes != nullptr &&
      (local.access_modes.empty() || SameAccessModes(*live_access_modes, local.access_modes))) {
    wanted = *live_access_modes;
  } else if (!local.access_modes.empty()) {
    wanted = local.access_modes;
  }
  Json modes = Json::Array(std::vector<Json>(wanted.begin(), wanted.end()));
  std::string size = local.storage_size.empty() ? "50Gi" : local.storage_size;
  auto canonical = CanonicalQuantity(size);
  return Json::Object(
             {{"apiVersion", "v1"},
              {"kind", "PersistentVolumeClaim"},
              {"metadata", ChildMetadata(mattermost, mattermost.name, ObjectLabels(mattermost))},
              {"spec",
               Json::Object(
                   {{"accessModes", std::move(modes)},
                    {"resources",
                     Json::Object(
                         {{"requests",
                           Json::Object({{"storage", canonical.ok() ? *canonical : size}})}})}})}})
      .BuildDocument();
}

}  // namespace mm
