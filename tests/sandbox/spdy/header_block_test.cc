#include "tests/sandbox/spdy/header_block.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "tests/sandbox/spdy/dictionary.h"
#include "tests/sandbox/spdy/frame.h"
#include "tests/sandbox/spdy/kubectl_capture.h"

namespace sandbox::spdy {
namespace {

TEST(SpdyDictionary, MatchesTheSpdy3DictionaryKubectlUses) {
  std::string_view dictionary = HeaderDictionary();
  EXPECT_EQ(dictionary.size(), 1423u);
  // zlib names a preset dictionary by its Adler-32; kubectl's header blocks carry e3c6a7c2.
  uLong adler = adler32(adler32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(dictionary.data()),
                        static_cast<uInt>(dictionary.size()));
  EXPECT_EQ(adler, 0xe3c6a7c2u);
  EXPECT_EQ(dictionary.substr(0, 11), std::string_view("\0\0\0\7options", 11));
  EXPECT_EQ(dictionary.substr(dictionary.size() - 7), ",enq=0.");
}

TEST(SpdyHeaderList, SerializesCountsAndLengthsBigEndian) {
  HeaderList headers = {{"port", "8065"}};
  EXPECT_EQ(SerializeHeaderList(headers), std::string("\0\0\0\1\0\0\0\4port\0\0\0\0048065", 20));
  auto parsed = ParseHeaderList(SerializeHeaderList(headers));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, headers);
}

TEST(SpdyHeaderList, RejectsMalformedBlocks) {
  EXPECT_EQ(ParseHeaderList("").error().message(), "spdy: malformed header block: no pair count");
  EXPECT_EQ(ParseHeaderList(std::string("\0\0\0\2\0\0\0\1a\0\0\0\0", 13)).error().message(),
            "spdy: malformed header block: pair count exceeds the block");
  EXPECT_EQ(ParseHeaderList(std::string("\0\0\0\1\0\0\0\1a\0\0\0\5ab", 15)).error().message(),
            "spdy: malformed header block: length past the end");
  EXPECT_EQ(ParseHeaderList(std::string("\0\0\0\0x", 5)).error().message(),
            "spdy: malformed header block: bytes after the last pair");
}

TEST(SpdyHeaderBlock, DecompressesWhatKubectlSent) {
  FrameReader reader;
  reader.Feed(testdata::KubectlSynStreamsAndPing());
  HeaderDecompressor decompressor;
  std::vector<HeaderList> blocks;
  while (true) {
    auto next = reader.Next();
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    if ((*next)->type != static_cast<uint16_t>(ControlType::kSynStream)) continue;
    auto syn = ParseSynStream(**next);
    ASSERT_TRUE(syn.ok());
    auto headers = decompressor.Decompress(syn->header_block);
    ASSERT_TRUE(headers.ok()) << headers.error().message();
    blocks.push_back(*headers);
  }
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0], (HeaderList{{"streamtype", "error"}, {"port", "8065"}, {"requestid", "0"}}));
  EXPECT_EQ(blocks[1], (HeaderList{{"streamtype", "error"}, {"port", "8065"}, {"requestid", "1"}}));
}

TEST(SpdyHeaderBlock, RoundTripsManyBlocksThroughOneContext) {
  HeaderCompressor compressor;
  HeaderDecompressor decompressor;
  std::vector<HeaderList> sent = {
      {{"streamtype", "error"}, {"port", "8065"}, {"requestid", "0"}},
      {},
      {{"streamtype", "data"}, {"port", "8065"}, {"requestid", "0"}},
      {{"x-large", std::string(20000, 'v')}},
  };
  for (size_t i = 0; i < sent.size(); ++i) {
    auto block = compressor.Compress(sent[i]);
    ASSERT_TRUE(block.ok());
    // Only the first block starts a zlib stream (header 0x78 and the dictionary id).
    if (i == 0) {
      ASSERT_GE(block->size(), 6u);
      EXPECT_EQ(static_cast<uint8_t>((*block)[0]), 0x78);
      EXPECT_EQ(ReadUint32(*block, 2), 0xe3c6a7c2u);
    }
    // Z_SYNC_FLUSH ends every block with the empty stored block 00 00 ff ff.
    EXPECT_EQ(block->substr(block->size() - 4), std::string("\0\0\xff\xff", 4));
    auto received = decompressor.Decompress(*block);
    ASSERT_TRUE(received.ok()) << received.error().message();
    EXPECT_EQ(*received, sent[i]);
  }
}

TEST(SpdyHeaderBlock, CorruptDataAndWrongContextAreErrors) {
  HeaderDecompressor decompressor;
  auto garbage = decompressor.Decompress("not zlib at all");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message().find("spdy: malformed header block: zlib inflate failed"),
            std::string::npos);

  // A second block alone (without the first) has no zlib header: a fresh context refuses it.
  HeaderCompressor compressor;
  ASSERT_TRUE(compressor.Compress({{"a", "b"}}).ok());
  auto second = compressor.Compress({{"c", "d"}});
  ASSERT_TRUE(second.ok());
  HeaderDecompressor fresh;
  EXPECT_FALSE(fresh.Decompress(*second).ok());
}

TEST(SpdyHeaderBlock, RefusesBlocksThatInflateBeyondTheLimit) {
  HeaderCompressor compressor;
  auto block = compressor.Compress({{"big", std::string(5000, 'z')}});
  ASSERT_TRUE(block.ok());
  HeaderDecompressor decompressor(1024);
  auto result = decompressor.Decompress(*block);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), "spdy: malformed header block: more than 1024 bytes");
}

}  // namespace
}  // namespace sandbox::spdy
