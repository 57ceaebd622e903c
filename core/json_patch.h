#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "core/result.h"

namespace mm {

// Applies an RFC 6902 JSON Patch (`patch_text`, a JSON array of add / remove / replace / move /
// copy / test operations) to `target` in place. On failure `target` may be partly patched: apply
// to a copy when the original must survive. Fails with kInvalid naming the operation index and
// the problem (`operation 1 (replace /spec/x): path not found`).
Result<void> ApplyJsonPatch(rapidjson::Document& target, std::string_view patch_text);

}  // namespace mm
