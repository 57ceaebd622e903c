#include "plugin/exit_code.h"

#include <string_view>

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
  if (error.kind() == ErrorKind::kApi && error.status()) {
    const ApiStatus& status = *error.status();
    if (status.reason == "Unauthorized") {
      return "error: You must be logged in to the server (" + error.message() + ")";
    }
    if (status.reason.empty()) return "Error from server: " + error.message();
    return "Error from server (" + status.reason + "): " + error.message();
  }
  // Transport errors already read as kubectl prints them ("The connection to the server ... was
  // refused ...", "Unable to connect to the server: ...").
  if (error.kind() == ErrorKind::kTransport) return error.message();
  // client-go's "invalid configuration: X" is printed by kubectl as "Error in configuration: X".
  static constexpr std::string_view kInvalidConfiguration = "invalid configuration: ";
  if (error.kind() == ErrorKind::kConfig && error.message().rfind(kInvalidConfiguration, 0) == 0) {
    return "Error in configuration: " + error.message().substr(kInvalidConfiguration.size());
  }
  std::string text = "error: " + error.message();
  if (error.kind() == ErrorKind::kUsage) {
    text += "\nSee '" + command_path + " -h' for help and examples";
  }
  return text;
}

}  // namespace mm
