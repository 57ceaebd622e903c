#pragma once

#include <iostream>

namespace mm {

// Where a command reads and writes. Commands never touch the process's standard streams, so tests
// can run them against string streams and compare exact text (kubectl's genericiooptions).
struct IOStreams {
  std::istream& in;
  std::ostream& out;  // data: tables, yaml/json
  std::ostream& err;  // progress, warnings, errors
  bool out_is_terminal = false;
  bool err_is_terminal = false;
  bool in_is_terminal = false;  // lets interactive credential plugins prompt
};

}  // namespace mm
