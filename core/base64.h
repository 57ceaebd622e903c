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

// Decodes unbroken standard base64 `text` into `out`, which must have room for
// text.size() / 4 * 3 bytes, without allocating: whole groups of four alphabet characters, the
// last of which may end in "=" or "==". Returns how many bytes it wrote, or nullopt when `text` is
// not that (whitespace, a length that is not a multiple of 4, padding elsewhere or missing).
std::optional<size_t> Base64DecodeUnbroken(std::string_view text, char* out);

}  // namespace mm
