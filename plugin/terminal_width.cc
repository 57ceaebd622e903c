#include "plugin/terminal_width.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace mm {

size_t TerminalWidth() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    try {
      int value = std::stoi(columns);
      if (value > 0) return static_cast<size_t>(value);
    } catch (const std::exception&) {
    }
  }
  return 80;
}

}  // namespace mm
