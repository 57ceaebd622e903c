#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sandbox::spdy {

// A SPDY/3 name/value header block, in order. Names are lowercase on the wire.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The value of the first header called `name`, or nullptr.
const std::string* FindHeader(const HeaderList& headers, std::string_view name);

// The uncompressed block (§2.6.10): uint32 pair count, then per pair uint32 length + name and
// uint32 length + value, all big-endian.
std::string SerializeHeaderList(const HeaderList& headers);
// Invalid when lengths run past the end or bytes are left over.
mm::Result<HeaderList> ParseHeaderList(std::string_view bytes);

// Compresses header blocks for one direction of a connection: one zlib stream primed with the
// SPDY/3 dictionary, Z_SYNC_FLUSH after each block (so only the first block carries the zlib
// header). Blocks must be decompressed in the order they were compressed.
class HeaderCompressor {
 public:
  HeaderCompressor();
  ~HeaderCompressor();
  HeaderCompressor(const HeaderCompressor&) = delete;
  HeaderCompressor& operator=(const HeaderCompressor&) = delete;

  // Returns the compressed block; Internal when zlib fails.
  mm::Result<std::string> Compress(const HeaderList& headers);

 private:
  struct ZStream;
  std::unique_ptr<ZStream> z_;
};

// Decompresses the header blocks of one direction (the peer's HeaderCompressor).
class HeaderDecompressor {
 public:
  // Blocks that inflate to more than `max_block` bytes are refused (a zlib bomb).
  explicit HeaderDecompressor(size_t max_block = 1 << 20);
  ~HeaderDecompressor();
  HeaderDecompressor(const HeaderDecompressor&) = delete;
  HeaderDecompressor& operator=(const HeaderDecompressor&) = delete;

  // Returns the headers of the next block; Invalid for corrupt zlib data, a wrong dictionary or a
  // malformed block (the connection cannot continue after that).
  mm::Result<HeaderList> Decompress(std::string_view block);

 private:
  struct ZStream;
  std::unique_ptr<ZStream> z_;
  size_t max_block_;
};

}  // namespace sandbox::spdy
