#pragma once

#include <string_view>

namespace mm::manifests {

// The Mattermost operator version the embedded manifest installs.
std::string_view OperatorVersion();

// The operator's installation manifest, embedded at build time (manifests/CMakeLists.txt runs
// generate_manifests): a compact JSON array of the objects in apply order — Namespace
// `mattermost-operator`, the CRDs ClusterInstallation, MattermostRestoreDB and Mattermost,
// ServiceAccount, ClusterRole, ClusterRoleBinding, Service, Deployment (image pinned, never
// `latest`). Static storage; never fails.
std::string_view OperatorManifestJson();

}  // namespace mm::manifests
