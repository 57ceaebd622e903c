#pragma once

#include <cstddef>

namespace mm {

// Returns the columns of the terminal on stderr (TIOCGWINSZ), else $COLUMNS, else 80.
size_t TerminalWidth();

}  // namespace mm
