#include "core/go_duration.h"

#include <cctype>

namespace mm {
namespace {

constexpr int64_t kMicrosecond = 1000;
constexpr int64_t kMillisecond = 1000 * kMicrosecond;
constexpr int64_t kSecond = 1000 * kMillisecond;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;

std::optional<int64_t> UnitNanoseconds(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s") return kMicrosecond;
  if (unit == "ms") return kMillisecond;
  if (unit == "s") return kSecond;
  if (unit == "m") return kMinute;
  if (unit == "h") return kHour;
  return std::nullopt;
}

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Appends `value / unit` with up to `digits` fractional digits, trailing zeros dropped.
std::string Fraction(int64_t value, int64_t unit, int digits) {
  std::string text = std::to_string(value / unit);
  int64_t rest = value % unit;
  if (rest == 0) return text;
  std::string fraction;
  for (int i = 0; i < digits; ++i) {
    unit /= 10;
    fraction += static_cast<char>('0' + rest / unit);
    rest %= unit;
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return text + "." + fraction;
}

}  // namespace

std::optional<int64_t> ParseGoDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == start) return std::nullopt;
    if (i < text.size() && text[i] == '.') {
      ++i;
      size_t fraction_start = i;
      while (i < text.size() && IsDigit(text[i])) ++i;
      if (i == fraction_start) return std::nullopt;
    }
    long double number = std::stold(std::string(text.substr(start, i - start)));
    size_t unit_start = i;
    while (i < text.size() && !IsDigit(text[i])) ++i;
    std::optional<int64_t> unit = UnitNanoseconds(text.substr(unit_start, i - unit_start));
    if (!unit) return std::nullopt;
    total += number * static_cast<long double>(*unit);
    if (total > 9.2e18L) return std::nullopt;
  }
  return static_cast<int64_t>(total + 0.5L);
}

std::string FormatGoDuration(int64_t nanoseconds) {
  if (nanoseconds == 0) return "0s";
  std::string sign = nanoseconds < 0 ? "-" : "";
  int64_t value = nanoseconds < 0 ? -nanoseconds : nanoseconds;
  if (value < kSecond) {
    if (value < kMicrosecond) return sign + std::to_string(value) + "ns";
    if (value < kMillisecond) return sign + Fraction(value, kMicrosecond, 3) + "\xC2\xB5s";
    return sign + Fraction(value, kMillisecond, 6) + "ms";
  }
  std::string text = sign;
  if (value >= kHour) text += std::to_string(value / kHour) + "h";
  if (value >= kMinute) text += std::to_string(value % kHour / kMinute) + "m";
  return text + Fraction(value % kMinute, kSecond, 9) + "s";
}

}  // namespace mm
