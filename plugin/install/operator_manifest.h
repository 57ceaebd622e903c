#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace mm {

// Where `install operator` takes its manifests from.
struct OperatorSources {
  std::string from;            // FILE or URL of the Mattermost operator manifest; "" = embedded
  std::string mysql;           // --with-mysql-operator FILE|URL; "" = none
  std::string minio;           // --with-minio-operator FILE|URL; "" = none
  std::string namespace_name;  // the Mattermost operator's namespace; "" = its manifest's
};

// Returns the text of a manifest FILE or URL; fails with the read's error.
using ManifestReader = std::function<Result<std::string>(const std::string& location)>;

// One object to apply, and which manifest it came from (for messages).
struct OperatorObject {
  rapidjson::Document object;
  std::string source;  // "embedded", or the FILE|URL
};

// Reads the manifests (MySQL operator, MinIO operator, then the Mattermost operator: the order
// they depend on each other in), moves the Mattermost operator to `namespace_name` when given,
// adds a Namespace for every namespace the objects are in that no manifest creates (the upstream
// MySQL and MinIO manifests create none), and orders everything for applying (OrderForApply).
// Fails with the reader's error or a manifest's parse error.
Result<std::vector<OperatorObject>> LoadOperatorObjects(const OperatorSources& sources,
                                                        const ManifestReader& read);

// Returns the namespace of the Mattermost operator's Deployment among `objects`, or
// mattermost-operator when there is none.
std::string OperatorNamespaceIn(const std::vector<OperatorObject>& objects);

// Moves `object` from namespace `from` to `to` when it lives there, and every reference to `from`
// that names where an object lives: the Namespace object itself, metadata.namespace, the
// namespace of ServiceAccount subjects of (Cluster)RoleBindings, and the service namespace of CRD
// conversion webhooks, webhook configurations and APIServices. Other text is left alone.
void MoveToNamespace(rapidjson::Document& object, const std::string& from, const std::string& to);

// Adds, before the objects, a Namespace for each metadata.namespace no Namespace object creates.
void AddMissingNamespaces(std::vector<OperatorObject>& objects);

// Sorts the objects (stably) in the order they depend on each other: Namespaces, CRDs,
// ServiceAccounts and (Cluster)Roles, bindings, ConfigMaps/Secrets/PVCs, Services, workloads,
// webhook configurations, then everything else (custom resources).
void OrderForApply(std::vector<OperatorObject>& objects);

}  // namespace mm
