#include "plugin/upgrade/upgrade_printer.h"

#include <algorithm>

namespace mm {
namespace {

constexpr char kJobPrefix[] = "  job | ";
constexpr size_t kBlockLogLines = 5;  // job log lines shown in the terminal block

}  // namespace

UpgradePrinter::UpgradePrinter(std::ostream& out, bool terminal, size_t width)
    : out_(out), terminal_(terminal), width_(width < 20 ? 20 : width) {}

void UpgradePrinter::Note(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (terminal_ && drawn_ > 0) {
    out_ << "\033[" << drawn_ << "F\033[J";
    drawn_ = 0;
  }
  out_ << line << "\n";
  if (terminal_) Redraw();
  out_.flush();
}

void UpgradePrinter::Progress(const UpgradeProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  bool rollout = progress.step == UpgradeStep::kRollingOut || progress.step == UpgradeStep::kStable;
  if (rollout) {
    if (progress.detail == rollout_) return;
    rollout_ = progress.detail;
    if (!terminal_) out_ << progress.detail << "\n";
  } else {
    // Once each: the job reads "created" again between its pod's end and its success.
    if (std::find(steps_.begin(), steps_.end(), progress.detail) != steps_.end()) return;
    steps_.push_back(progress.detail);
    if (!terminal_) out_ << progress.detail << "\n";
  }
  if (terminal_) Redraw();
  out_.flush();
}

void UpgradePrinter::JobLine(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  tail_.emplace_back(line);
  if (tail_.size() > kTailLines) tail_.pop_front();
  if (terminal_) {
    Redraw();
  } else {
    out_ << kJobPrefix << line << "\n";
  }
  out_.flush();
}

void UpgradePrinter::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  drawn_ = 0;  // the block stays as it is; what follows goes below it
}

std::vector<std::string> UpgradePrinter::JobTail() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {tail_.begin(), tail_.end()};
}

void UpgradePrinter::Redraw() {
  std::vector<std::string> lines;
  for (const std::string& step : steps_) lines.push_back("- " + step);
  size_t first = tail_.size() > kBlockLogLines ? tail_.size() - kBlockLogLines : 0;
  for (size_t i = first; i < tail_.size(); ++i) lines.push_back(kJobPrefix + tail_[i]);
  if (!rollout_.empty()) lines.push_back("- " + rollout_);
  if (drawn_ > 0) out_ << "\033[" << drawn_ << "F";  // to the block's first line
  out_ << "\033[J";                                  // and clear it
  for (std::string& line : lines) {
    if (line.size() > width_ - 1) line = line.substr(0, width_ - 4) + "...";
    out_ << line << "\n";
  }
  drawn_ = lines.size();
}

}  // namespace mm
