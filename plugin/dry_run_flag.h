#pragma once

#include <cxxopts.hpp>
#include <string>

#include "core/result.h"

namespace mm {

// `--dry-run[=client|server]` of the commands that write (install, upgrade): "none" when absent,
// "client" for a bare --dry-run (as kubectl), or "server" (the API server validates the writes,
// ?dryRun=All). One definition so the flag reads and fails the same way everywhere.
struct DryRunFlag {
  std::string value = "none";

  // Adds the flag with `help` to the command's options.
  void Add(cxxopts::OptionAdder& add, const std::string& help);
  bool enabled() const { return value != "none"; }
  bool server() const { return value == "server"; }
  // Fails with kUsage for a value other than client or server, or with --wait (`wait`).
  Result<void> Validate(bool wait) const;
};

}  // namespace mm
