#include "kubeapi/duration.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <utility>

namespace mm::kubeapi {

std::optional<std::chrono::nanoseconds> ParseGoDuration(std::string_view text) {
  if (text == "0") return std::chrono::nanoseconds(0);
  if (text.empty()) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, double>, 7> kUnits = {{
      {"ns", 1.0},
      {"us", 1e3},
      {"\u00b5s", 1e3},
      {"ms", 1e6},
      {"s", 1e9},
      {"m", 60e9},
      {"h", 3600e9},
  }};
  double total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    while (pos < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[pos])) != 0 || text[pos] == '.')) {
      ++pos;
    }
    if (pos == start) return std::nullopt;
    std::string number(text.substr(start, pos - start));
    if (number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
    size_t unit_start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) == 0 &&
           text[pos] != '.') {
      ++pos;
    }
    std::string_view unit = text.substr(unit_start, pos - unit_start);
    double scale = 0;
    for (const auto& [name, factor] : kUnits) {
      if (unit == name) scale = factor;
    }
    if (scale == 0) return std::nullopt;
    total += std::stod(number) * scale;
  }
  if (total > 9.2e18) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}

std::optional<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text) {
  if (text.empty()) return std::chrono::milliseconds(0);
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
  if (all_digits && text.size() < 12) {
    return std::chrono::seconds(std::stoll(std::string(text)));
  }
  std::optional<std::chrono::nanoseconds> duration = ParseGoDuration(text);
  if (!duration) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*duration);
}

}  // namespace mm::kubeapi
