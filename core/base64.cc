#include "core/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace mm {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of each byte, or -1 for a byte outside the alphabet (a table: the decoder runs
// on every last-applied annotation of every reconcile).
constexpr std::array<int8_t, 256> kDecode = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}();

// kPlaced[k][c]: the 6-bit value of the byte `c` placed where the k-th character of a group of
// four puts it in the group's 24 bits, or bit 24 when `c` is outside the alphabet: a group is four
// lookups OR'd, checked once.
constexpr uint32_t kOutside = 1 << 24;
constexpr std::array<std::array<uint32_t, 256>, 4> kPlaced = [] {
  std::array<std::array<uint32_t, 256>, 4> placed{};
  for (int k = 0; k < 4; ++k) {
    for (int c = 0; c < 256; ++c) {
      int value = kDecode[c];
      placed[k][c] = value < 0 ? kOutside : static_cast<uint32_t>(value) << (18 - 6 * k);
    }
  }
  return placed;
}();

// Decodes the four alphabet characters at `in` into three bytes at `out`; false (and nothing
// written) when one is not in the alphabet.
bool DecodeGroup(const char* in, char* out) {
  auto placed = [&](int k) { return kPlaced[k][static_cast<unsigned char>(in[k])]; };
  uint32_t group = placed(0) | placed(1) | placed(2) | placed(3);
  if (group >= kOutside) return false;
  out[0] = static_cast<char>(group >> 16);
  out[1] = static_cast<char>((group >> 8) & 0xFF);
  out[2] = static_cast<char>(group & 0xFF);
  return true;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t written = 0;
  uint32_t buffer = 0;
  int bits = 0;
  size_t padding = 0;
  size_t i = 0;
  // Fast path: whole groups of four alphabet characters (annotations are one long line).
  for (; i + 4 <= text.size(); i += 4, written += 3) {
    if (!DecodeGroup(text.data() + i, out.data() + written)) break;
  }
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int value = kDecode[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (written == out.size()) out.push_back('\0');
      out[written++] = static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (padding > 2 || bits >= 6) return std::nullopt;
  out.resize(written);
  return out;
}

std::optional<size_t> Base64DecodeUnbroken(std::string_view text, char* out) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.empty()) return 0;
  size_t body = text.size() - 4;
  for (size_t i = 0; i < body; i += 4, out += 3) {
    if (!DecodeGroup(text.data() + i, out)) return std::nullopt;
  }
  // The last group: its padding stands for zero bits ('A'), and the bytes they make are left out.
  char last[4];
  std::memcpy(last, text.data() + body, 4);
  size_t padding = last[3] != '=' ? 0 : last[2] != '=' ? 1 : 2;
  for (size_t k = 4 - padding; k < 4; ++k) last[k] = 'A';
  if (!DecodeGroup(last, out)) return std::nullopt;
  return body / 4 * 3 + 3 - padding;
}

}  // namespace mm
