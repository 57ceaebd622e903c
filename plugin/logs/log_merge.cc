#include "plugin/logs/log_merge.h"

#include <algorithm>

namespace mm {
namespace {

// "2026-11-21T09:00:01.5Z" -> "2026-11-21T09:00:01.500000000Z": fractions of any length compare
// correctly as strings. Times with an offset other than Z keep their text (kubelets write UTC).
std::string SortKey(std::string_view time) {
  if (time.size() < 20 || time[19] == '+' || time[19] == '-') return std::string(time);
  std::string key(time.substr(0, 19));
  std::string fraction;
  size_t end = 19;
  if (time[19] == '.') {
    end = 20;
    while (end < time.size() && time[end] >= '0' && time[end] <= '9') ++end;
    fraction = std::string(time.substr(20, end - 20));
  }
  fraction.resize(9, '0');
  return key + "." + fraction + std::string(time.substr(end));
}

}  // namespace

TimedLogLine ParseTimedLine(std::string_view line, std::string source) {
  size_t space = line.find(' ');
  bool timed = space != std::string_view::npos && space >= 20 && line[4] == '-' && line[10] == 'T';
  if (!timed) return {"", "", std::string(line), std::move(source)};
  std::string_view time = line.substr(0, space);
  return {SortKey(time), std::string(time), std::string(line.substr(space + 1)), std::move(source)};
}

std::string LogPrefix(const std::string& pod, const std::string& container) {
  return "[pod/" + pod + "/" + container + "] ";
}

std::vector<std::string> MergeByTime(const std::vector<std::vector<TimedLogLine>>& pods,
                                     bool timestamps) {
  std::vector<const TimedLogLine*> lines;
  for (const auto& pod : pods) {
    for (const TimedLogLine& line : pod) lines.push_back(&line);
  }
  std::stable_sort(lines.begin(), lines.end(), [](const TimedLogLine* a, const TimedLogLine* b) {
    return a->sort_key < b->sort_key;
  });
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const TimedLogLine* line : lines) {
    std::string text = line->source;
    if (timestamps && !line->time.empty()) text += line->time + " ";
    out.push_back(text + line->text);
  }
  return out;
}

}  // namespace mm
