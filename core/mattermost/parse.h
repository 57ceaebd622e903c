#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/mattermost/mattermost.h"
#include "core/result.h"

namespace mm {

inline constexpr char kMattermostApiVersion[] = "installation.mattermost.com/v1beta1";
inline constexpr char kMattermostKind[] = "Mattermost";

// Parses a Mattermost resource. Takes ownership of `document`; the returned view points into it.
// Fails with kInvalid listing every field whose JSON type is wrong (one "path: problem" per line),
// or when apiVersion/kind are not installation.mattermost.com/v1beta1 Mattermost.
Result<Mattermost> ParseMattermost(rapidjson::Document document);

// Returns the problems that make `mattermost` unusable, each "path: problem": the operator's
// SetDefaults errors (§2.1: ALB hosts, ingress host, volume sources) and the checks its CRD
// schema makes (readinessCheck mode and timeout, storage sizes), plus an unknown size (the
// operator only logs it; we report it because a typo silently gives the default size).
std::vector<std::string> ValidateMattermost(const Mattermost& mattermost);

// Joins `problems` into one kInvalid error headed by `what` ("<what> is invalid:\n  - p1\n...").
Error InvalidError(const std::string& what, const std::vector<std::string>& problems);

}  // namespace mm
