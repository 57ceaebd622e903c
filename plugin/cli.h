#pragma once

#include <string>
#include <vector>

#include "plugin/io_streams.h"

namespace mm {

// Returns the name help shows for the binary at `argv0`: "kubectl mattermost" when the file name
// starts with "kubectl-" (how kubectl and krew run plugins), otherwise the file name itself.
std::string DisplayName(const std::string& argv0);

// Runs one CLI invocation: finds the command in `argv` (argv[0] is the program path), parses the
// flags, runs Complete -> Validate -> Run, prints any error on `streams.err` and returns the
// process exit code. Never throws.
int RunCli(const std::vector<std::string>& argv, IOStreams& streams);

}  // namespace mm
