#include "core/go_string.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace mm {
namespace {

constexpr char kHex[] = "0123456789abcdef";

using go_string_internal::IsPlain;
using go_string_internal::Load64;

// Whether Go writes the byte as it is: printable ASCII other than `"`, `\\`, `<`, `>` and `&`.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c)
    plain[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
  return plain;
}();

// Copies `text`, of more than 16 bytes, to `out` when all its bytes are plain and returns whether
// it did (it may have written part of it when not): 16 bytes at a time, the last 16 overlapping
// the ones before.
bool CopyIfPlain(char* out, std::string_view text) {
  const char* in = text.data();
  size_t size = text.size();
  for (size_t i = 0; i + 16 < size; i += 16) {
    if (!IsPlain(Load64(in + i), Load64(in + i + 8))) return false;
    std::memcpy(out + i, in + i, 16);
  }
  if (!IsPlain(Load64(in + size - 16), Load64(in + size - 8))) return false;
  std::memcpy(out + size - 16, in + size - 16, 16);
  return true;
}

char* PutUnicodeEscape(char* out, unsigned code) {
  *out++ = '\\';
  *out++ = 'u';
  for (int shift : {12, 8, 4, 0}) *out++ = kHex[(code >> shift) & 0xf];
  return out;
}

// The length of the valid UTF-8 sequence at text[i], or 0 when it is not valid.
size_t Utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  unsigned second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
      (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f)) {
    return 0;  // overlong, surrogate or beyond U+10FFFF
  }
  return length;
}

// Writes the escape of the byte(s) at text[i], which are not plain; returns past them.
char* PutEscaped(char* out, std::string_view text, size_t& i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  if (c >= 0x80) {
    size_t length = Utf8Length(text, i);
    if (length == 0) {
      ++i;
      return PutUnicodeEscape(out, 0xfffd);
    }
    std::string_view sequence = text.substr(i, length);
    i += length;
    if (sequence == "\xe2\x80\xa8" || sequence == "\xe2\x80\xa9") {
      return PutUnicodeEscape(out, sequence == "\xe2\x80\xa8" ? 0x2028 : 0x2029);
    }
    std::memcpy(out, sequence.data(), length);
    return out + length;
  }
  ++i;
  char escape = c == '"'    ? '"'
                : c == '\\' ? '\\'
                : c == '\n' ? 'n'
                : c == '\r' ? 'r'
                : c == '\t' ? 't'
                            : '\0';
  if (escape == 0) return PutUnicodeEscape(out, c);  // <, >, & and other control characters
  *out++ = '\\';
  *out++ = escape;
  return out;
}

// The text of a string that needs escapes: runs of plain bytes are copied 16 at a time, then one
// by one, up to the next byte to escape.
char* PutEscapedText(char* out, std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    for (; i + 16 <= text.size(); i += 16, out += 16) {
      if (!IsPlain(Load64(text.data() + i), Load64(text.data() + i + 8))) break;
      std::memcpy(out, text.data() + i, 16);
    }
    while (i < text.size() && kPlain[static_cast<unsigned char>(text[i])]) *out++ = text[i++];
    if (i < text.size()) out = PutEscaped(out, text, i);
  }
  return out;
}

}  // namespace

namespace go_string_internal {

char* PutLongOrEscaped(char* out, std::string_view text) {
  *out++ = '"';
  bool plain = text.size() > 16 && CopyIfPlain(out, text);
  out = plain ? out + text.size() : PutEscapedText(out, text);
  *out++ = '"';
  return out;
}

}  // namespace go_string_internal

std::string GoQuoted(std::string_view text) {
  std::string quoted(GoStringRoom(text.size()), '\0');
  quoted.resize(static_cast<size_t>(PutGoString(quoted.data(), text) - quoted.data()));
  return quoted;
}

}  // namespace mm
