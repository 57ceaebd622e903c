#include "plugin/exit_code.h"

namespace mm {

int ExitCodeFor(const Error& error) {
  switch (error.kind()) {
    case ErrorKind::kTimeout:
      return kExitTimeout;
    case ErrorKind::kInterrupted:
      return kExitInterrupted;
    default:
      return kExitError;
  }
}

std::string FormatError(const Error& error, const std::string& command_path) {
  if (error.kind() == ErrorKind::kApi && error.status() && !error.status()->reason.empty()) {
    return "Error from server (" + error.status()->reason + "): " + error.message();
  }
  std::string text = "error: " + error.message();
  if (error.kind() == ErrorKind::kUsage) {
    text += "\nSee '" + command_path + " -h' for help and examples";
  }
  return text;
}

}  // namespace mm
