#include "core/human_duration.h"

namespace mm {
namespace {

// "<major><major unit>" followed by "<minor><minor unit>" unless the minor part is zero.
std::string Two(int64_t major, const char* major_unit, int64_t minor, const char* minor_unit) {
  std::string text = std::to_string(major) + major_unit;
  if (minor != 0) text += std::to_string(minor) + minor_unit;
  return text;
}

}  // namespace

std::string HumanDuration(std::chrono::seconds age) {
  int64_t seconds = age.count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return std::to_string(seconds) + "s";
  int64_t minutes = seconds / 60;
  if (minutes < 10) return Two(minutes, "m", seconds % 60, "s");
  if (minutes < 180) return std::to_string(minutes) + "m";
  int64_t hours = minutes / 60;
  if (hours < 8) return Two(hours, "h", minutes % 60, "m");
  if (hours < 48) return std::to_string(hours) + "h";
  int64_t days = hours / 24;
  if (hours < 24 * 8) return Two(days, "d", hours % 24, "h");
  if (days < 365 * 2) return std::to_string(days) + "d";
  if (days < 365 * 8) return Two(days / 365, "y", days % 365, "d");
  return std::to_string(days / 365) + "y";
}

}  // namespace mm
