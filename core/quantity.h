#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mm {

// Returns `text` (a Kubernetes resource.Quantity) in the canonical form the API server and Go
// clients write back: `2000m` -> `2`, `1024Mi` -> `1Gi`, `0.5` -> `500m`, `1000M` -> `1G`,
// `1.5Gi` -> `1536Mi`. The suffix family (decimal SI, binary SI, exponent) is kept as Go keeps
// it. Fails with kInvalid when `text` is not a quantity or is too large for exact arithmetic.
Result<std::string> CanonicalQuantity(std::string_view text);

// Returns `text` in thousandths of its unit, rounded up as Go's Quantity.MilliValue (`100m` ->
// 100, `2` -> 2000, `1Ki` -> 1024000). Fails with kInvalid when `text` is not a quantity or the
// result does not fit in 63 bits.
Result<int64_t> QuantityMilliValue(std::string_view text);

// Rewrites every string in the `limits`/`requests` maps of a ResourceRequirements object in
// canonical form. Values that are not quantities are left alone and reported in the result's
// error (kInvalid) after the others were rewritten.
Result<void> CanonicalizeResources(rapidjson::Value& resources,
                                   rapidjson::Document::AllocatorType& allocator);

}  // namespace mm
