#pragma once

#include <string>
#include <vector>

namespace mm::kubeapi {

// The outcome of running a child process.
struct ProcessResult {
  int spawn_errno = 0;  // non-zero when the program could not be started (ENOENT, EACCES, ...)
  int exit_code = -1;   // the exit status; -1 when killed by a signal or not started
  std::string stdout_text;
};

// Runs `argv` (argv[0] looked up in PATH when it contains no '/') directly, without a shell, with
// exactly the environment `env` ("NAME=value" entries). Captures stdout; stderr goes to this
// process' stderr (as client-go does for credential plugins); stdin is this process' stdin when
// `pass_stdin`, else /dev/null. Blocks until the child exits.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         bool pass_stdin);

// Starts `argv` (argv[0] looked up in PATH when it contains no '/') without a shell, with this
// process' environment, stdin and stdout /dev/null and this process' stderr, and returns at once
// without waiting for it (a detached thread reaps it). Returns 0, or the errno of a failed start
// (ENOENT: no such program).
int StartDetachedProcess(const std::vector<std::string>& argv);

// Returns this process' environment as "NAME=value" entries.
std::vector<std::string> CurrentEnvironment();

}  // namespace mm::kubeapi
