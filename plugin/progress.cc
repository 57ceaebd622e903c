#include "plugin/progress.h"

namespace mm {

void Progress::Update(const std::string& text) {
  if (text == shown_) return;
  shown_ = text;
  if (streams_.err_is_terminal) {
    streams_.err << "\r\x1b[K" << text << std::flush;  // CSI K: erase the rest of the old text
    open_ = true;
  } else {
    streams_.err << text << "\n" << std::flush;
  }
}

void Progress::Finish() {
  if (open_) streams_.err << "\n" << std::flush;
  open_ = false;
  shown_.clear();
}

}  // namespace mm
