#include "core/crc32.h"

#include <zlib.h>

#include <cstddef>

#if defined(__x86_64__)
#include <emmintrin.h>
#include <wmmintrin.h>
#endif

namespace mm {
namespace {

#if defined(__x86_64__)

// Folding, as in Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ": four
// 128-bit lanes are folded 64 bytes forward at a time, then into one lane, which is folded 16
// bytes forward at a time, and reduced to 32 bits (Barrett). The constants are powers of x
// modulo the polynomial, bit-reflected: x^(4*128+32) and x^(4*128-32) to fold by 64 bytes,
// x^(128+32) and x^(128-32) by 16, x^64 for the last 64 bits, and the polynomial with its
// Barrett constant floor(x^64 / P).
constexpr uint64_t kFold64Low = 0x154442bd4, kFold64High = 0x1c6e41596;
constexpr uint64_t kFold16Low = 0x1751997d0, kFold16High = 0x0ccaa009e;
constexpr uint64_t kFold8 = 0x163cd6124;
constexpr uint64_t kPolynomial = 0x1db710641, kBarrett = 0x1f7011641;

__attribute__((target("pclmul,sse2"))) __m128i Fold(__m128i lane, __m128i constants, __m128i next) {
  __m128i low = _mm_clmulepi64_si128(lane, constants, 0x00);
  __m128i high = _mm_clmulepi64_si128(lane, constants, 0x11);
  return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

__m128i Load(const unsigned char* in) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
}

// The CRC-32 register (not inverted) after `size` bytes at `in`, a multiple of 16 and at least
// 64, starting from `crc`.
__attribute__((target("pclmul,sse2"))) uint32_t FoldBlocks(uint32_t crc, const unsigned char* in,
                                                           size_t size) {
  __m128i lanes[4] = {_mm_xor_si128(Load(in), _mm_cvtsi32_si128(static_cast<int>(crc))),
                      Load(in + 16), Load(in + 32), Load(in + 48)};
  in += 64;
  size -= 64;
  __m128i by64 = _mm_set_epi64x(kFold64High, kFold64Low);
  for (; size >= 64; in += 64, size -= 64) {
    for (size_t k = 0; k < 4; ++k) lanes[k] = Fold(lanes[k], by64, Load(in + 16 * k));
  }
  __m128i by16 = _mm_set_epi64x(kFold16High, kFold16Low);
  __m128i lane = lanes[0];
  for (int k = 1; k < 4; ++k) lane = Fold(lane, by16, lanes[k]);
  for (; size >= 16; in += 16, size -= 16) lane = Fold(lane, by16, Load(in));
  // 128 bits -> 64 (and the 32 zero bits a CRC appends), then Barrett reduction to 32.
  __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
  lane = _mm_xor_si128(_mm_clmulepi64_si128(lane, by16, 0x10), _mm_srli_si128(lane, 8));
  __m128i low32 = _mm_and_si128(lane, mask32);
  lane = _mm_xor_si128(_mm_srli_si128(lane, 4),
                       _mm_clmulepi64_si128(low32, _mm_set_epi64x(0, kFold8), 0x00));
  __m128i reduction = _mm_set_epi64x(kBarrett, kPolynomial);
  __m128i quotient =
      _mm_and_si128(_mm_clmulepi64_si128(_mm_and_si128(lane, mask32), reduction, 0x10), mask32);
  lane = _mm_xor_si128(lane, _mm_clmulepi64_si128(quotient, reduction, 0x00));
  return static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(lane, 4)));
}

bool HasCarrylessMultiply() { return __builtin_cpu_supports("pclmul"); }

#endif

}  // namespace

uint32_t Crc32Portable(std::string_view data, uint32_t crc) {
  return static_cast<uint32_t>(
      crc32_z(crc, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

std::optional<uint32_t> Crc32Folded(std::string_view data, uint32_t crc) {
#if defined(__x86_64__)
  if (!HasCarrylessMultiply()) return std::nullopt;
  if (data.size() >= 64) {
    size_t blocks = data.size() / 16 * 16;
    crc = ~FoldBlocks(~crc, reinterpret_cast<const unsigned char*>(data.data()), blocks);
    data.remove_prefix(blocks);
  }
  return Crc32Portable(data, crc);
#else
  (void)data, (void)crc;
  return std::nullopt;
#endif
}

uint32_t Crc32(std::string_view data, uint32_t crc) {
  std::optional<uint32_t> folded = Crc32Folded(data, crc);
  return folded ? *folded : Crc32Portable(data, crc);
}

}  // namespace mm
