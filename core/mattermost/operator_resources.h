#pragma once

#include <rapidjson/document.h>

#include <optional>

#include "core/mattermost/mattermost.h"
#include "core/random_id.h"
#include "core/result.h"

namespace mm {

// The MysqlCluster `db-<md5[0:6]>` (mysql.presslabs.org/v1alpha1, §3.9) for a defaulted
// Mattermost whose database is operator-managed MySQL; std::nullopt for an external database.
// Fails (kInvalid) for operator-managed types other than mysql, with the operator's messages.
Result<std::optional<rapidjson::Document>> BuildMysqlCluster(const Mattermost& mattermost);

// The MinIOInstance `<mm>-minio` (miniocontroller.min.io/v1beta1, §3.10) when the file store is
// operator-managed; std::nullopt otherwise.
std::optional<rapidjson::Document> BuildMinioInstance(const Mattermost& mattermost);

// The Secret `<mm>-mysql-root-password` the operator creates when missing (§3.9): owner
// reference, no labels, ROOT_PASSWORD and PASSWORD 16 random characters, USER `mmuser`,
// DATABASE `mattermost`. Never updated once it exists.
rapidjson::Document BuildMysqlSecret(const Mattermost& mattermost, const RandomBytes& random);

// The Secret `<mm>-minio` (§3.10): owner reference, label v1alpha1.mattermost.com/resource
// (QUIRK copied), accesskey 16 and secretkey 28 random characters. Kept once it has both keys.
rapidjson::Document BuildMinioSecret(const Mattermost& mattermost, const RandomBytes& random);

// The generated `desired` Secret as the operator writes it over the `live` one (§3.10): a copy
// with the live `data` when that holds every key of `desired` (the keys are kept, the metadata
// reconciled); std::nullopt when a key is missing (the fresh `desired` is written).
std::optional<rapidjson::Document> WithLiveSecretData(const rapidjson::Value& desired,
                                                      const rapidjson::Value& live);

}  // namespace mm
