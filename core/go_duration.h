#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

// Parses a Go time.Duration string matching the operator's CRD pattern
// `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$` (e.g. `5m`, `1h30m`, `1.5s`). Returns the duration
// in nanoseconds, or std::nullopt when `text` does not match or overflows.
std::optional<int64_t> ParseGoDuration(std::string_view text);

// Formats `nanoseconds` as Go's Duration.String(): `5m0s`, `1h0m0s`, `1m30s`, `30s`, `1.5s`,
// `500ms`, `0s`.
std::string FormatGoDuration(int64_t nanoseconds);

}  // namespace mm
