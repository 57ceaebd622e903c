#include "core/quantity.h"

#include <cctype>
#include <cstdint>
#include <optional>

namespace mm {
namespace {

__extension__ typedef __int128 Int128;  // exact arithmetic for mantissa * 1024^k

enum class Family { kDecimalSI, kBinarySI, kDecimalExponent };

struct Parsed {
  Int128 mantissa = 0;  // value = mantissa * 10^exponent10 * 2^exponent2
  int exponent10 = 0;
  int exponent2 = 0;
  Family family = Family::kDecimalSI;
};

std::optional<int> DecimalSuffixExponent(std::string_view suffix) {
  static const std::pair<std::string_view, int> kTable[] = {
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0},   {"k", 3},
      {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  for (const auto& [name, exponent] : kTable) {
    if (name == suffix) return exponent;
  }
  return std::nullopt;
}

std::optional<int> BinarySuffixExponent(std::string_view suffix) {
  static const std::pair<std::string_view, int> kTable[] = {{"Ki", 10}, {"Mi", 20}, {"Gi", 30},
                                                            {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  for (const auto& [name, exponent] : kTable) {
    if (name == suffix) return exponent;
  }
  return std::nullopt;
}

std::optional<Parsed> Parse(std::string_view text) {
  Parsed parsed;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  bool seen_digit = false;
  bool seen_point = false;
  for (; i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.');
       ++i) {
    if (text[i] == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    seen_digit = true;
    if (parsed.mantissa > (Int128(1) << 100)) return std::nullopt;
    parsed.mantissa = parsed.mantissa * 10 + (text[i] - '0');
    if (seen_point) --parsed.exponent10;
  }
  if (!seen_digit) return std::nullopt;
  if (negative) parsed.mantissa = -parsed.mantissa;
  std::string_view suffix = text.substr(i);
  if (auto exponent = DecimalSuffixExponent(suffix)) {
    parsed.exponent10 += *exponent;
  } else if (auto binary = BinarySuffixExponent(suffix)) {
    parsed.exponent2 = *binary;
    parsed.family = Family::kBinarySI;
  } else if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    std::string_view digits = suffix.substr(1);
    bool exp_negative = !digits.empty() && digits[0] == '-';
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int exponent = 0;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      exponent = exponent * 10 + (c - '0');
    }
    parsed.exponent10 += exp_negative ? -exponent : exponent;
    parsed.family = Family::kDecimalExponent;
  } else {
    return std::nullopt;
  }
  return parsed;
}

std::string ToString(Int128 value) {
  if (value == 0) return "0";
  bool negative = value < 0;
  if (negative) value = -value;
  std::string digits;
  while (value > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return negative ? "-" + digits : digits;
}

// Go's AsCanonicalBytes: strip factors of ten, then move the exponent down to a multiple of 3.
std::string FormatDecimal(Int128 mantissa, int exponent, Family family) {
  while (mantissa != 0 && mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  if (mantissa == 0) exponent = 0;
  while (((exponent % 3) + 3) % 3 != 0) {
    mantissa *= 10;
    --exponent;
  }
  if (family == Family::kDecimalExponent) {
    return ToString(mantissa) + (exponent == 0 ? "" : "e" + std::to_string(exponent));
  }
  static const char* kSuffixes[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  int index = exponent / 3 + 3;
  if (index < 0 || index > 9) return ToString(mantissa) + "e" + std::to_string(exponent);
  return ToString(mantissa) + kSuffixes[index];
}

std::string Canonical(const Parsed& parsed) {
  if (parsed.family != Family::kBinarySI) {
    return FormatDecimal(parsed.mantissa, parsed.exponent10, parsed.family);
  }
  // Binary: the exact value in base units when it is whole, else fall back to decimal SI.
  Int128 value = parsed.mantissa << parsed.exponent2;
  int exponent10 = parsed.exponent10;
  while (exponent10 < 0 && value % 10 == 0) {
    value /= 10;
    ++exponent10;
  }
  if (exponent10 < 0 || (value > -1024 && value < 1024)) {
    return FormatDecimal(parsed.mantissa << parsed.exponent2, parsed.exponent10,
                         Family::kDecimalSI);
  }
  static const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  int index = 0;
  while (index < 6 && value != 0 && value % 1024 == 0) {
    value /= 1024;
    ++index;
  }
  return ToString(value) + kSuffixes[index];
}

}  // namespace

Result<std::string> CanonicalQuantity(std::string_view text) {
  std::optional<Parsed> parsed = Parse(text);
  if (!parsed || parsed->exponent10 > 30 || parsed->exponent10 < -30) {
    return Error::Invalid(
        "quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got \"" +
        std::string(text) + "\"");
  }
  return Canonical(*parsed);
}

Result<int64_t> QuantityMilliValue(std::string_view text) {
  std::optional<Parsed> parsed = Parse(text);
  int exponent = parsed ? parsed->exponent10 + 3 : 0;
  const Int128 limit = Int128(INT64_MAX);
  if (!parsed || exponent > 40 || exponent < -40) {
    return Error::Invalid("invalid quantity \"" + std::string(text) + "\"");
  }
  if (parsed->mantissa > limit || parsed->mantissa < -limit) {
    return Error::Invalid("quantity \"" + std::string(text) + "\" is too large");
  }
  Int128 value = parsed->mantissa * (Int128(1) << parsed->exponent2);
  for (; exponent > 0; --exponent) {
    value *= 10;
    if (value > limit || value < -limit) break;
  }
  Int128 divisor = 1;
  for (; exponent < 0; ++exponent) divisor *= 10;
  Int128 rounded = value / divisor + (value % divisor > 0 ? 1 : 0);  // toward +infinity
  if (rounded > limit || rounded < -limit) {
    return Error::Invalid("quantity \"" + std::string(text) + "\" is too large");
  }
  return static_cast<int64_t>(rounded);
}

Result<void> CanonicalizeResources(rapidjson::Value& resources,
                                   rapidjson::Document::AllocatorType& allocator) {
  std::optional<Error> first_error;
  for (const char* group : {"limits", "requests"}) {
    auto it = resources.FindMember(group);
    if (it == resources.MemberEnd() || !it->value.IsObject()) continue;
    for (auto& member : it->value.GetObject()) {
      if (!member.value.IsString()) continue;
      auto canonical = CanonicalQuantity(member.value.GetString());
      if (!canonical) {
        if (!first_error) first_error = canonical.error();
        continue;
      }
      member.value.SetString(canonical->c_str(),
                             static_cast<rapidjson::SizeType>(canonical->size()), allocator);
    }
  }
  if (first_error) return *first_error;
  return {};
}

}  // namespace mm
