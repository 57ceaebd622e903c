#pragma once

#include <string>
#include <vector>

#include "core/mattermost/cluster_facts.h"
#include "core/mattermost/env.h"
#include "core/mattermost/mattermost.h"

namespace mm {

// `<mm>-minio-hl-svc.<ns>.svc.cluster.local:<port>`: the operator-managed MinIO endpoint.
std::string MinioUrl(const Mattermost& mattermost, const ClusterFacts& facts);

// Group B of the env (§3.1.1) for the file-store mode.
std::vector<EnvEntry> FileStoreEnv(const Mattermost& mattermost, const ClusterFacts& facts);

// The file-store init containers (§3.1.3): create-minio-bucket and init-check-minio for the
// operator-managed MinIO, none otherwise.
std::vector<Json> FileStoreInitContainers(const Mattermost& mattermost, const ClusterFacts& facts);

// The file-store volume and its mount (`mattermost-data`) for local and external-volume stores;
// Omit() otherwise.
Json FileStoreVolume(const Mattermost& mattermost);
Json FileStoreVolumeMount(const Mattermost& mattermost);

}  // namespace mm
