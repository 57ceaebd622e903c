#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>

#include "core/result.h"

namespace mm {

// Returns why a ClusterInstallation (mattermost.com/v1alpha1) cannot be converted to a
// Mattermost: BlueGreen or Canary enabled (§7 step 1, the operator's messages); ok otherwise.
Result<void> CheckConvertible(const rapidjson::Value& cluster_installation);

// Converts a ClusterInstallation to the Mattermost the operator creates for it (§7), without
// any operator: metadata name/namespace/labels/annotations copied; size, image, version,
// mattermostEnv, licenseSecret (from mattermostLicenseSecret), ingress and service fields,
// resourceLabels, imagePullPolicy, elasticSearch, scheduling {resources, nodeSelector,
// affinity}, probes; replicas (negative -> 0, 0 -> unset); file store external when
// minio.externalURL is set, else operator-managed; database external when `db_secret` (the data
// of spec.database.secret, nullptr when the CI names none) has DB_CONNECTION_STRING, else
// operator-managed with every CI database field (QUIRK copied: a custom operator-DB secret name
// is dropped). The result is serialized as the Go operator serializes it. Fails (kInvalid) when
// CheckConvertible fails or the secret is neither an external-DB secret nor a complete MySQL one.
Result<rapidjson::Document> ConvertClusterInstallation(
    const rapidjson::Value& cluster_installation,
    const std::map<std::string, std::string>* db_secret);

}  // namespace mm
