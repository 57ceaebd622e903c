#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "plugin/cli.h"

namespace mm::testing {

// The outcome of one in-process CLI run.
struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs the CLI as `argv0 args...` against string streams.
inline CliRun RunForTest(std::vector<std::string> args,
                         const std::string& argv0 = "/usr/local/bin/kubectl-mattermost") {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  IOStreams streams{in, out, err};
  args.insert(args.begin(), argv0);
  CliRun run;
  run.code = RunCli(args, streams);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace mm::testing
