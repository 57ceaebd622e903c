#include "core/mattermost/referenced_objects.h"

namespace mm {
namespace {

constexpr char kRoleArnAnnotation[] = "eks.amazonaws.com/role-arn";

Result<void> CheckFileStore(const Mattermost& mattermost, const ClusterFacts& facts) {
  const FileStoreSpec& store = mattermost.spec.file_store;
  if (store.Mode() != FileStoreMode::kExternal) return {};
  if (store.external->use_service_account) {
    if (!facts.service_account) return {};
    if (!facts.service_account->exists) {
      return Error::Invalid(
          "service account needs to be created manually if "
          "fileStore.external.useServiceAccount is true: serviceaccounts \"" +
          mattermost.name + "\" not found");
    }
    if (!facts.service_account->keys.contains(kRoleArnAnnotation)) {
      return Error::Invalid(
          "service account does not have \"eks.amazonaws.com/role-arn\" annotation, which is "
          "required if fileStore.external.useServiceAccount is true");
    }
    return {};
  }
  const std::string& secret = store.external->secret;
  if (!facts.file_store_secret) return {};
  if (!facts.file_store_secret->exists) {
    return Error::Invalid("secrets \"" + secret + "\" not found");
  }
  for (const char* key : {"accesskey", "secretkey"}) {
    if (!facts.file_store_secret->keys.contains(key)) {
      return Error::Invalid("external filestore Secret " + secret + " does not have an '" + key +
                            "' value");
    }
  }
  return {};
}

}  // namespace

Result<void> CheckReferencedObjects(const Mattermost& mattermost, const ClusterFacts& facts) {
  MM_RETURN_IF_ERROR(CheckFileStore(mattermost, facts));
  const std::string& license = mattermost.spec.license_secret;
  if (license.empty() || !facts.license_secret) return {};
  if (!facts.license_secret->exists) {
    return Error::Invalid("error getting secret: secrets \"" + license + "\" not found");
  }
  if (!facts.license_secret->keys.contains("license")) {
    return Error::Invalid("secret " + license + " is missing data key: license");
  }
  return {};
}

}  // namespace mm
