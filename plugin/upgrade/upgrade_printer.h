#pragma once

#include <deque>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/mattermost/upgrade_progress.h"

namespace mm {

// Shows an upgrade's progress on stderr. Not a terminal: one plain line per new step and per job
// log line ("  job | ..."). A terminal: one block redrawn in place — the steps reached so far, the
// last job log lines, the current rollout count. Keeps the job's last log lines for the failure
// report. Thread-safe (job log lines arrive from stream threads).
class UpgradePrinter {
 public:
  static constexpr size_t kTailLines = 10;

  // `out` must outlive the printer; `width` (terminal columns) truncates the block's lines.
  UpgradePrinter(std::ostream& out, bool terminal, size_t width = 100);

  // A plain line outside the block (the header, notes).
  void Note(const std::string& line);
  // The progress read now: a new step or detail is shown.
  void Progress(const UpgradeProgress& progress);
  // One line of the update job's log.
  void JobLine(std::string_view line);
  // Ends the block: later output goes below it.
  void Finish();
  // The job's last log lines (at most kTailLines), oldest first.
  std::vector<std::string> JobTail() const;

 private:
  void Redraw();  // with mutex_ held

  std::ostream& out_;
  bool terminal_;
  size_t width_;
  mutable std::mutex mutex_;
  std::vector<std::string> steps_;  // details shown so far, in order
  std::string rollout_;             // the current rollout line (terminal: replaced in place)
  std::deque<std::string> tail_;
  size_t drawn_ = 0;  // lines of the block on screen
};

}  // namespace mm
