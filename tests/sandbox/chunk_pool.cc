#include "tests/sandbox/chunk_pool.h"

#include <vector>

namespace sandbox {
namespace {

// Enough for the write-behind window and flow control's high-water mark of a few streams.
constexpr size_t kPoolLimit = 16;

std::vector<std::string>& Pool() {
  thread_local std::vector<std::string> pool;
  return pool;
}

}  // namespace

std::string TakeChunk() {
  std::vector<std::string>& pool = Pool();
  if (pool.empty()) return std::string(kChunkSize, '\0');
  std::string chunk = std::move(pool.back());
  pool.pop_back();
  return chunk;
}

void ReturnChunk(std::string chunk) {
  std::vector<std::string>& pool = Pool();
  if (chunk.size() == kChunkSize && pool.size() < kPoolLimit) pool.push_back(std::move(chunk));
}

}  // namespace sandbox
