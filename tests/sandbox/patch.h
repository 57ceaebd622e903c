#pragma once

#include "core/result.h"
#include "tests/sandbox/json_util.h"
#include "tests/sandbox/list_schema.h"

namespace sandbox {

// RFC 6902 JSON patch: applies the operation list `ops` to a copy of `target`. Fails with a 422
// Status naming the failed operation (as kube-apiserver does) or 400 when `ops` is not a list.
mm::Result<rapidjson::Document> ApplyJsonPatch(const Json& target, const Json& ops);

// RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else replaces.
rapidjson::Document ApplyMergePatch(const Json& target, const Json& patch);

// Kubernetes strategic merge patch: a merge patch whose lists merge per ListSchemaAt (by merge
// key, or as sets), honouring the $patch (replace/delete/merge), $retainKeys,
// $setElementOrder/<list> and $deleteFromPrimitiveList/<list> directives. Fails with 400 on a
// malformed directive.
mm::Result<rapidjson::Document> ApplyStrategicMergePatch(const Json& target, const Json& patch,
                                                         const Json* crd_schema);

}  // namespace sandbox
