#include "plugin/dry_run_flag.h"

namespace mm {

void DryRunFlag::Add(cxxopts::OptionAdder& add, const std::string& help) {
  add("dry-run", help, cxxopts::value(value)->implicit_value("client"));
}

Result<void> DryRunFlag::Validate(bool wait) const {
  if (value != "none" && value != "client" && value != "server") {
    return Error::Usage("--dry-run must be client or server, got \"" + value + "\"");
  }
  if (wait && enabled()) return Error::Usage("--wait cannot be used with --dry-run");
  return {};
}

}  // namespace mm
