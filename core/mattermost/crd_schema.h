#pragma once

#include <rapidjson/document.h>

namespace mm {

// The CustomResourceDefinitions of the operator (§1), with structural openAPIV3Schemas written
// from our model (core/mattermost/mattermost.h and the v1alpha1 field lists): every
// Mattermost-specific field is typed precisely (enums, patterns, int32); embedded Kubernetes
// types (volumes, affinity, probes, resources, containers, env...) are objects or arrays of
// objects with x-kubernetes-preserve-unknown-fields, validated client-side instead. Each returns
// a complete apiextensions.k8s.io/v1 CustomResourceDefinition.
rapidjson::Document MattermostCrd();
rapidjson::Document ClusterInstallationCrd();
rapidjson::Document MattermostRestoreDbCrd();

}  // namespace mm
