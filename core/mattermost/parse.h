#pragma once

#include <rapidjson/document.h>

#include <memory>
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
// The same for a document shared with other owners (it must not change while the result lives).
Result<Mattermost> ParseMattermost(std::shared_ptr<const rapidjson::Document> document);

// Returns what ParseMattermost(defaulted) returns, where `defaulted` is DefaultMattermost(parsed),
// without reading the whole resource again: the fields defaulting never writes are copied from
// `parsed`; those it may write, and every view into the document, are read from `defaulted`
// (which the result owns). For any other `defaulted` the result is unspecified.
// `parsed` is taken by value: move a Mattermost you no longer need into it to spare the copy.
Result<Mattermost> ParseDefaulted(Mattermost parsed, rapidjson::Document defaulted);

// Returns the problems that make `mattermost` unusable, each "path: problem": the operator's
// SetDefaults errors (§2.1: ALB hosts, ingress host, volume sources) and the checks its CRD
// schema makes (readinessCheck mode and timeout, storage sizes), plus an unknown size (the
// operator only logs it; we report it because a typo silently gives the default size).
std::vector<std::string> ValidateMattermost(const Mattermost& mattermost);

// Joins `problems` into one kInvalid error headed by `what` ("<what> is invalid:\n  - p1\n...").
Error InvalidError(const std::string& what, const std::vector<std::string>& problems);

}  // namespace mm
