#pragma once

#include <string>

#include "core/error.h"

namespace mm {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitTimeout = 124;
inline constexpr int kExitInterrupted = 130;

// Returns the process exit code for `error`: 124 for an expired deadline, 130 for an interrupt,
// 1 for everything else. The one place exit codes are decided.
int ExitCodeFor(const Error& error);

// Returns the text printed on stderr for `error`, without a trailing newline, the way kubectl
// prints errors: "error: <message>", "Error from server (<Reason>): <message>" for API errors,
// "error: You must be logged in to the server (<message>)" for 401s, transport errors verbatim,
// "Error in configuration: ..." for client-go's "invalid configuration: ..." errors, and a
// "See '<command path> -h' for help and examples" line for usage errors.
std::string FormatError(const Error& error, const std::string& command_path);

}  // namespace mm
