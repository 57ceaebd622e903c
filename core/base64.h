#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mm {

// Returns standard base64 (RFC 4648, with padding) of `bytes`.
std::string Base64Encode(std::string_view bytes);

// Returns the bytes encoded in standard base64 `text` (padding optional, whitespace and newlines
// ignored, as Go's decoder for kubeconfig *-data fields), or nullopt when `text` is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace mm
