#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "tests/sandbox/resources.h"

namespace sandbox {

// CustomResourceDefinition support: what a CRD serves, its status, and the structural schema
// rules applied to custom objects.

// Validation errors of a CRD object (names, versions, scope), as Status causes.
std::vector<mm::StatusCause> ValidateCrd(const Json& crd);
// One ResourceType per served version, preferred version first (Kubernetes version priority).
std::vector<ResourceType> TypesFromCrd(const Json& crd);
// Sets status.conditions (NamesAccepted, Established), acceptedNames and storedVersions.
void SetCrdStatus(Json& crd, Alloc& alloc, const std::string& now);

// Drops fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields) and
// checks types, enums, required fields and numeric bounds. Appends field errors to `errors`
// and the dotted paths of dropped fields to `unknown` (for fieldValidation Strict/Warn).
void PruneAndValidate(Json& object, const Json& schema, Alloc& alloc,
                      std::vector<mm::StatusCause>& errors, std::vector<std::string>& unknown);

// Orders Kubernetes API versions: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else.
bool VersionPrefers(const std::string& a, const std::string& b);

}  // namespace sandbox
