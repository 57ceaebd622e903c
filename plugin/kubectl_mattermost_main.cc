// kubectl-mattermost: builds the real streams, runs the CLI, exits with its code.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "plugin/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  mm::IOStreams streams{std::cin,
                        std::cout,
                        std::cerr,
                        isatty(STDOUT_FILENO) == 1,
                        isatty(STDERR_FILENO) == 1,
                        isatty(STDIN_FILENO) == 1};
  std::vector<std::string> args(argv, argv + argc);
  int code = mm::RunCli(args, streams);
  std::cout.flush();
  return code;
}
