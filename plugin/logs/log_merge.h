#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mm {

// One line of a pod's log read with timestamps=true ("<RFC 3339 time> <text>").
struct TimedLogLine {
  std::string sort_key;  // the time, comparable as a string (fraction padded to nanoseconds)
  std::string time;      // as the server wrote it
  std::string text;      // the line after the time
  std::string source;    // "[pod/<name>/<container>] " or "" without prefixes
};

// Splits a line the server timestamped; a line without a time sorts first and keeps its text.
TimedLogLine ParseTimedLine(std::string_view line, std::string source);

// The prefix kubectl logs --prefix writes: "[pod/<pod>/<container>] ".
std::string LogPrefix(const std::string& pod, const std::string& container);

// Interleaves the lines of several pods by time; lines of one pod keep their order, and lines
// with equal times keep the order of `pods`. Returns the lines as printed: source prefix, then
// the time when `timestamps`, then the text.
std::vector<std::string> MergeByTime(const std::vector<std::vector<TimedLogLine>>& pods,
                                     bool timestamps);

}  // namespace mm
