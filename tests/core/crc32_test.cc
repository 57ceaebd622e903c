// Crc32: the ZIP CRC-32, folded with PCLMULQDQ where the CPU has it; always equal to zlib's.
#include "core/crc32.h"

#include <gtest/gtest.h>

#include <string>

namespace mm {
namespace {

// Known values (the "check" of CRC-32/ISO-HDLC, and Python's zlib.crc32).
TEST(Crc32Test, ComputesTheZipCrc32) {
  EXPECT_EQ(Crc32Portable("123456789"), 0xcbf43926u);
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xcbf43926u);
  EXPECT_EQ(Crc32("The quick brown fox jumps over the lazy dog"), 0x414fa339u);
  EXPECT_EQ(Crc32(std::string(64, 'a')), 0x89b46555u);
  EXPECT_EQ(Crc32(std::string(1000, '\0')), 0x060b1780u);
}

// Every length from 0 to 600 (the folding takes 64 bytes and more, in blocks of 16, and leaves
// the rest to zlib), and continued from a previous CRC-32: the same as zlib's.
TEST(Crc32Test, FoldingEqualsZlibAtEveryLength) {
  if (!Crc32Folded("")) GTEST_SKIP() << "no PCLMULQDQ on this CPU";
  std::string data;
  uint32_t seed = 12345;
  for (int i = 0; i < 600; ++i) {
    seed = seed * 1103515245 + 12345;
    data += static_cast<char>(seed >> 16);
  }
  for (size_t size = 0; size <= data.size(); ++size) {
    std::string_view part(data.data(), size);
    EXPECT_EQ(Crc32Folded(part), Crc32Portable(part)) << size;
    EXPECT_EQ(Crc32Folded(part, 0xdeadbeef), Crc32Portable(part, 0xdeadbeef)) << size;
  }
  // Unaligned starts, and a CRC-32 continued over two parts.
  for (size_t start = 1; start < 16; ++start) {
    std::string_view part(data.data() + start, data.size() - start);
    EXPECT_EQ(Crc32Folded(part), Crc32Portable(part)) << start;
  }
  EXPECT_EQ(Crc32(std::string_view(data).substr(100), Crc32(std::string_view(data).substr(0, 100))),
            Crc32(data));
}

TEST(Crc32Test, FoldingEqualsZlibOnLargeInputs) {
  if (!Crc32Folded("")) GTEST_SKIP() << "no PCLMULQDQ on this CPU";
  std::string data(1 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  EXPECT_EQ(Crc32Folded(data), Crc32Portable(data));
  std::string ones(100000, '\xff');
  EXPECT_EQ(Crc32Folded(ones), Crc32Portable(ones));
}

}  // namespace
}  // namespace mm
