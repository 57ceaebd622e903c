#include <regex>

#include "core/go_duration.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/sizes.h"
#include "core/mattermost/volume_sources.h"

namespace mm {
namespace {

// The CRD's pattern for storageSize fields.
bool IsStorageSize(const std::string& text) {
  static const std::regex kPattern("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");
  return std::regex_match(text, kPattern);
}

void CheckStorageSize(const std::string& path, const std::string& value,
                      std::vector<std::string>& problems) {
  if (!value.empty() && !IsStorageSize(value)) {
    problems.push_back(path + ": invalid quantity \"" + value + "\"");
  }
}

void CheckVolumes(const rapidjson::Value* volumes, std::vector<std::string>& problems) {
  if (volumes == nullptr) return;
  for (rapidjson::SizeType i = 0; i < volumes->Size(); ++i) {
    if (auto problem = UnsupportedVolumeSource((*volumes)[i])) {
      problems.push_back("spec.volumes[" + std::to_string(i) + "]: " + *problem);
    }
  }
}

void CheckDatabase(const DatabaseSpec& db, std::vector<std::string>& problems) {
  if (db.readiness_check) {
    const std::string& mode = db.readiness_check->mode;
    if (!mode.empty() && mode != "external" && mode != "builtin") {
      problems.push_back("spec.database.readinessCheck.mode: unsupported value \"" + mode +
                         "\"; supported values: \"external\", \"builtin\"");
    }
    const std::string& timeout = db.readiness_check->timeout;
    if (!timeout.empty() && !ParseGoDuration(timeout)) {
      problems.push_back("spec.database.readinessCheck.timeout: invalid duration \"" + timeout +
                         "\" (e.g. 5m, 90s, 1h)");
    }
  }
  if (db.operator_managed) {
    CheckStorageSize("spec.database.operatorManaged.storageSize", db.operator_managed->storage_size,
                     problems);
  }
}

}  // namespace

std::vector<std::string> ValidateMattermost(const Mattermost& mattermost) {
  std::vector<std::string> problems;
  const MattermostSpec& spec = mattermost.spec;
  if (!spec.size.empty() && FindSize(spec.size) == nullptr) {
    problems.push_back("spec.size: " + UnknownSizeMessage(spec.size));
  }
  if (mattermost.AwsLoadBalancerEnabled() && spec.aws_load_balancer->hosts.empty()) {
    problems.push_back(
        "spec.awsLoadBalancerController.hosts: required when awsLoadBalancerController.enabled "
        "is true");
  } else if (!mattermost.AwsLoadBalancerEnabled() && mattermost.IngressEnabled() &&
             mattermost.IngressHost().empty()) {
    problems.push_back(spec.ingress ? "spec.ingress.host: required when ingress.enabled is true"
                                    : "spec.ingressName: required when spec.ingress is not set "
                                      "(the Ingress is then enabled)");
  }
  CheckVolumes(spec.volumes, problems);
  CheckDatabase(spec.database, problems);
  if (spec.file_store.local) {
    CheckStorageSize("spec.fileStore.local.storageSize", spec.file_store.local->storage_size,
                     problems);
  }
  if (spec.file_store.operator_managed) {
    CheckStorageSize("spec.fileStore.operatorManaged.storageSize",
                     spec.file_store.operator_managed->storage_size, problems);
  }
  return problems;
}

}  // namespace mm
