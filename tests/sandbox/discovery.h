#pragma once

#include <string>
#include <string_view>

#include "tests/sandbox/resources.h"

namespace sandbox {

// Discovery and OpenAPI documents built from the registry. All return compact JSON text.

// GET /api (legacy APIVersions); `address` is host:port for serverAddressByClientCIDRs.
std::string LegacyCoreVersions(std::string_view address);
// GET /apis (legacy APIGroupList).
std::string LegacyGroupList(const Registry& registry);
// GET /apis/<group> (APIGroup); "" when the group is not served.
std::string LegacyGroup(const Registry& registry, std::string_view group);
// GET /api/v1, /apis/<group>/<version> (APIResourceList); "" when not served.
std::string LegacyResourceList(const Registry& registry, std::string_view group,
                               std::string_view version);
// GET /api or /apis as an APIGroupDiscoveryList; `api_version` is apidiscovery.k8s.io/v2 or
// apidiscovery.k8s.io/v2beta1.
std::string AggregatedDiscovery(const Registry& registry, bool core, std::string_view api_version);

// GET /openapi/v3: one entry per group version with a content hash in its URL.
std::string OpenApiV3Root(const Registry& registry);
// GET /openapi/v3/<api/v1 | apis/g/v>; "" when not served. Every resource has a patch operation
// taking fieldValidation (kubectl's server-side validation check) and a schema for explain.
std::string OpenApiV3Document(const Registry& registry, std::string_view gv_path);
// GET /openapi/v2 as JSON: paths with the same patch operations, no definitions.
std::string OpenApiV2Json(const Registry& registry, std::string_view server_version);

// GET /openapi/v2 as gnostic's OpenAPIv2 protobuf Document (what kubectl <= 1.28 asks for to
// check server-side field validation): the same paths and patch operations, no definitions.
std::string OpenApiV2Protobuf(const Registry& registry, std::string_view server_version);

// The OpenAPI component name of a kind: io.k8s.api.apps.v1.Deployment, com.example.v1.Foo.
std::string SchemaName(const ResourceType& type);

}  // namespace sandbox
