#include "tests/sandbox/chunk_pool.h"

#include <gtest/gtest.h>

namespace sandbox {
namespace {

TEST(ChunkPoolTest, ReturnedChunksAreReusedAndOthersFreed) {
  std::string first = TakeChunk();
  ASSERT_EQ(first.size(), kChunkSize);
  const char* storage = first.data();
  ReturnChunk(std::move(first));
  std::string again = TakeChunk();
  EXPECT_EQ(again.data(), storage);   // the same buffer, not a new allocation
  ReturnChunk(std::string(10, 'x'));  // not a chunk: not kept
  std::string fresh = TakeChunk();
  EXPECT_EQ(fresh.size(), kChunkSize);
  EXPECT_NE(fresh.data(), storage);
  ReturnChunk(std::move(again));
  ReturnChunk(std::move(fresh));
}

}  // namespace
}  // namespace sandbox
