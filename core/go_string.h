#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mm {

// Go's encoding/json string escaping (as json-iterator's ConfigCompatibleWithStandardLibrary):
// `"` and `\` as \" and \\, `<`, `>`, `&`, U+2028 and U+2029 as \u003c, \u003e, \u0026, \u2028,
// \u2029, control characters as \n, \r, \t or \u00XX, invalid UTF-8 as \ufffd; everything else
// (DEL and valid UTF-8 included) as it is.

// The most characters PutGoString writes for a text of `size` bytes: every byte becomes at most 6
// characters (\u00XX, \ufffd; U+2028 takes 3 bytes), plus the quotes.
constexpr size_t GoStringRoom(size_t size) { return size * 6 + 2; }

namespace go_string_internal {

inline uint64_t Load64(const char* in) {
  uint64_t word;
  std::memcpy(&word, in, 8);
  return word;
}

inline uint64_t Load32(const char* in) {
  uint32_t word;
  std::memcpy(&word, in, 4);
  return word;
}

// Whether Go writes every byte of the 16 in `head` and `tail` as it is: printable ASCII other
// than `"`, `\`, `<`, `>` and `&`. Portable: on 8 bytes at a time, each term flagging (in its
// high bit) the lowest byte it matches exactly, and no byte when none does: bytes below 0x20 or
// from 0x80, `\`, and the pairs that differ in one bit, `<` and `>` (0x3c, 0x3e: 0x3e once bit 1
// is set) and `"` and `&` (0x22, 0x26: 0x26 once bit 2 is set).
inline bool IsPlainPortable(uint64_t head, uint64_t tail) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  auto not_plain = [](uint64_t word) {
    auto zero_byte = [](uint64_t v) { return (v - kOnes) & ~v; };
    return (word - 0x20 * kOnes) | word | zero_byte(word ^ ('\\' * kOnes)) |
           zero_byte((word | 0x02 * kOnes) ^ ('>' * kOnes)) |
           zero_byte((word | 0x04 * kOnes) ^ ('&' * kOnes));
  };
  return ((not_plain(head) | not_plain(tail)) & 0x80 * kOnes) == 0;
}

#if defined(__SSE2__)
// IsPlainPortable with SSE2 (part of every x86-64 CPU), on the 16 bytes at once: a signed
// comparison finds the bytes below 0x20 and from 0x80 together.
inline bool IsPlainSse2(uint64_t head, uint64_t tail) {
  __m128i bytes = _mm_set_epi64x(static_cast<int64_t>(tail), static_cast<int64_t>(head));
  __m128i low = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
  __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  __m128i angle = _mm_cmpeq_epi8(_mm_or_si128(bytes, _mm_set1_epi8(0x02)), _mm_set1_epi8('>'));
  __m128i quote = _mm_cmpeq_epi8(_mm_or_si128(bytes, _mm_set1_epi8(0x04)), _mm_set1_epi8('&'));
  __m128i any = _mm_or_si128(_mm_or_si128(low, backslash), _mm_or_si128(angle, quote));
  return _mm_movemask_epi8(any) == 0;
}
#endif

inline bool IsPlain(uint64_t head, uint64_t tail) {
#if defined(__SSE2__)
  return IsPlainSse2(head, tail);
#else
  return IsPlainPortable(head, tail);
#endif
}

// PutGoString of a text that is longer than 16 bytes or needs escapes.
char* PutLongOrEscaped(char* out, std::string_view text);

}  // namespace go_string_internal

// Writes `text` quoted and escaped at `out`, which must have room for GoStringRoom(text.size())
// characters; returns the end of what it wrote. Nothing beyond that end is written.
//
// Inline for what nearly every key and value is, a plain text of at most 16 bytes: read as two
// words (overlapping pieces of the text when it is shorter), tested at once (IsPlain) and written
// back the same way. Always inline: compilers keep it out of line otherwise, and the call would
// cost as much as the test.
[[gnu::always_inline]] inline char* PutGoString(char* out, std::string_view text) {
  using namespace go_string_internal;
  const char* in = text.data();
  size_t size = text.size();
  if (size == 0 || size > 16) return PutLongOrEscaped(out, text);
  uint64_t head, tail;
  if (size >= 8) {
    head = Load64(in);
    tail = Load64(in + size - 8);
  } else if (size >= 4) {
    head = tail = Load32(in) | Load32(in + size - 4) << 32;
  } else {  // the first, middle and last bytes, above them 'a's
    auto byte = [&](size_t i) { return uint64_t{static_cast<unsigned char>(in[i])}; };
    head = tail = byte(0) | byte(size / 2) << 8 | byte(size - 1) << 16 | 0x6161616161000000;
  }
  if (!IsPlain(head, tail)) return PutLongOrEscaped(out, text);
  *out = '"';
  if (size >= 8) {
    std::memcpy(out + 1, in, 8);
    std::memcpy(out + 1 + size - 8, in + size - 8, 8);
  } else if (size >= 4) {
    std::memcpy(out + 1, in, 4);
    std::memcpy(out + 1 + size - 4, in + size - 4, 4);
  } else {
    out[1] = in[0];
    out[1 + size / 2] = in[size / 2];
    out[size] = in[size - 1];
  }
  out[size + 1] = '"';
  return out + size + 2;
}

// Returns `text` quoted and escaped (PutGoString into a string).
std::string GoQuoted(std::string_view text);

}  // namespace mm
