#pragma once

#include <string>

#include "plugin/io_streams.h"

namespace mm {

// Shows what a command is waiting for, on streams.err. On a terminal it is one line rewritten in
// place (carriage return, erase to end of line); otherwise (a pipe, a CI log) each new text is a
// plain line of its own. Repeating the same text prints nothing. Not thread-safe.
class Progress {
 public:
  explicit Progress(IOStreams& streams) : streams_(streams) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Ends the line being rewritten, so what follows starts on a fresh one.
  ~Progress() { Finish(); }

  // Shows `text` (one line, no line break) unless it is what is shown already.
  void Update(const std::string& text);
  // Ends the line being rewritten (on a terminal); later Updates start a new one.
  void Finish();

 private:
  IOStreams& streams_;
  std::string shown_;
  bool open_ = false;  // a terminal line awaits its line break
};

}  // namespace mm
