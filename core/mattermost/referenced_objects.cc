#include "core/mattermost/referenced_objects.h"

#include <algorithm>

namespace mm {
namespace {

constexpr char kRoleArnAnnotation[] = "eks.amazonaws.com/role-arn";

// Go's %v of a slice of strings: `[a b]`.
std::string GoList(const std::vector<std::string>& items) {
  std::string text = "[";
  for (size_t i = 0; i < items.size(); ++i) text += (i > 0 ? " " : "") + items[i];
  return text + "]";
}

Result<void> CheckServiceAccount(const Mattermost& mattermost, const ClusterFacts& facts) {
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

Result<void> CheckExternalStore(const Mattermost& mattermost, const ClusterFacts& facts) {
  const ExternalFileStore& store = *mattermost.spec.file_store.external;
  if (store.use_service_account) {
    MM_RETURN_IF_ERROR(CheckServiceAccount(mattermost, facts));
  } else if (facts.file_store_secret && !facts.file_store_secret->exists) {
    return Error::Invalid("secrets \"" + store.secret + "\" not found");
  }
  if (store.bucket.empty()) return Error::Invalid("external file store bucket is empty");
  if (store.use_service_account || !facts.file_store_secret) return {};
  for (const char* key : {"accesskey", "secretkey"}) {
    if (!facts.file_store_secret->keys.contains(key)) {
      return Error::Invalid("external filestore Secret " + store.secret + " does not have an '" +
                            key + "' value");
    }
  }
  return {};
}

Result<void> CheckExternalVolume(const Mattermost& mattermost, const ClusterFacts& facts) {
  if (!facts.external_volume_claim) return {};
  const ClaimFact& claim = *facts.external_volume_claim;
  if (!claim.exists) {
    return Error::Invalid("persistentvolumeclaims \"" +
                          *mattermost.spec.file_store.external_volume_claim + "\" not found");
  }
  if (claim.phase != "Bound" && claim.phase != "Pending") {
    return Error::Invalid("specified PVC for external volume storage is not Bound or Pending (" +
                          claim.phase + ")");
  }
  return {};
}

Result<void> CheckLocalClaim(const Mattermost& mattermost, const ClusterFacts& facts) {
  const std::vector<std::string>& wanted = mattermost.spec.file_store.local->access_modes;
  if (wanted.empty() || !facts.local_claim || !facts.local_claim->exists) return {};
  const std::vector<std::string>& live = facts.local_claim->access_modes;
  if (SameAccessModes(live, wanted)) return {};
  return Error::Invalid("cannot change PVC access modes from " + GoList(live) + " to " +
                        GoList(wanted) +
                        " as this requires PVC recreation which may cause data loss. Please "
                        "manually migrate data and recreate the PVC with a different name if you "
                        "need to change access modes");
}

}  // namespace

bool SameAccessModes(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  return std::all_of(a.begin(), a.end(), [&](const std::string& mode) {
    return std::find(b.begin(), b.end(), mode) != b.end();
  });
}

Result<void> CheckMysqlSecret(const ClusterFacts& facts) {
  if (!facts.mysql_secret || !facts.mysql_secret->exists) return {};
  const std::pair<const char*, const char*> kKeys[] = {{"ROOT_PASSWORD", "database root password"},
                                                       {"USER", "database username"},
                                                       {"PASSWORD", "database password"},
                                                       {"DATABASE", "database name"}};
  for (const auto& [key, what] : kKeys) {
    if (!facts.mysql_secret->keys.contains(key)) {
      return Error::Invalid(std::string(what) + " shouldn't be empty");
    }
  }
  return {};
}

Result<void> CheckFileStoreReferences(const Mattermost& mattermost, const ClusterFacts& facts) {
  switch (mattermost.spec.file_store.Mode()) {
    case FileStoreMode::kExternal:
      return CheckExternalStore(mattermost, facts);
    case FileStoreMode::kExternalVolume:
      return CheckExternalVolume(mattermost, facts);
    case FileStoreMode::kLocal:
      return CheckLocalClaim(mattermost, facts);
    case FileStoreMode::kOperatorManaged:
      if (facts.minio_service_exists) return {};
      return Error::Invalid("failed to get Minio URL: services \"" + mattermost.name +
                            "-minio-hl-svc\" not found");
  }
  return {};
}

Result<void> CheckLicenseSecret(const Mattermost& mattermost, const ClusterFacts& facts) {
  const std::string& license = mattermost.spec.license_secret;
  if (license.empty() || !facts.license_secret) return {};
  const std::string prefix = "failed to check mattermost license secret.: ";
  if (!facts.license_secret->exists) {
    return Error::Invalid(prefix + "error getting secret: secrets \"" + license + "\" not found");
  }
  if (!facts.license_secret->keys.contains("license")) {
    return Error::Invalid(prefix + "secret " + license + " is missing data key: license");
  }
  return {};
}

Result<void> CheckReferencedObjects(const Mattermost& mattermost, const ClusterFacts& facts) {
  if (!mattermost.spec.database.IsExternal()) MM_RETURN_IF_ERROR(CheckMysqlSecret(facts));
  MM_RETURN_IF_ERROR(CheckFileStoreReferences(mattermost, facts));
  return CheckLicenseSecret(mattermost, facts);
}

}  // namespace mm
