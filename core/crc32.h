#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mm {

// Returns the ZIP (IEEE 802.3, reflected polynomial 0xedb88320) CRC-32 of `data` continued from
// `crc`, the CRC-32 of the bytes before it (0 for none): the same value as zlib's crc32(crc, ...).
// On x86-64 CPUs with PCLMULQDQ (checked at run time), 16-byte blocks are folded with carry-less
// multiplications; the rest, and every byte on other CPUs, goes through zlib.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

// Crc32 through zlib alone: the portable path.
uint32_t Crc32Portable(std::string_view data, uint32_t crc = 0);

// Crc32 with the folding forced: std::nullopt when the CPU (or the build's target) has no
// PCLMULQDQ. What Crc32 uses when it can, separate so that the tests compare it with zlib.
std::optional<uint32_t> Crc32Folded(std::string_view data, uint32_t crc = 0);

}  // namespace mm
