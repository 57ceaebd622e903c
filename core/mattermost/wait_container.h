#pragma once

#include <string>
#include <string_view>

#include "core/json_builder.h"

namespace mm {

// The image of the operator's curl-based readiness checks.
inline constexpr char kCurlImage[] = "appropriate/curl:latest";

// `until curl --max-time 5 <url>; do echo waiting for <what>; sleep 5; done;`: the shell loop
// of the operator's curl readiness checks (§3.1.2, §3.1.3).
std::string CurlWaitScript(std::string_view url, std::string_view what);

// An init container that runs `sh -c <script>` with pull policy IfNotPresent and, unless it is
// Omit(), the given env: the shape of every operator readiness check but the builtin one.
Json WaitContainer(std::string_view name, std::string_view image, std::string script,
                   Json env = Json::Omit());

}  // namespace mm
