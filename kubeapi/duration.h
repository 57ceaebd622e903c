#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mm::kubeapi {

// Parses a Go duration ("300ms", "1.5h", "2h45m", "0"); returns nullopt when malformed or
// negative.
std::optional<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

// Parses --request-timeout the way kubectl does: a bare integer is seconds, otherwise a Go
// duration. Returns nullopt when invalid.
std::optional<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text);

}  // namespace mm::kubeapi
