#include "tests/sandbox/spdy/frame.h"

#include <gtest/gtest.h>

#include <vector>

namespace sandbox::spdy {
namespace {

std::vector<Frame> ReadAll(FrameReader& reader) {
  std::vector<Frame> frames;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok()) << next.error().message();
    if (!next.ok() || !next->has_value()) return frames;
    frames.push_back(std::move(**next));
  }
}

TEST(SpdyFrame, DataFrameBytesAreBigEndianWithFlagsAndLength) {
  EXPECT_EQ(EncodeDataFrame(0x01020304, kFlagFin, "ab"),
            std::string("\x01\x02\x03\x04\x01\x00\x00\x02"
                        "ab",
                        10));
}

TEST(SpdyFrame, ControlFrameHeaderCarriesVersionThreeAndType) {
  EXPECT_EQ(EncodePing(0x0a0b0c0d),
            std::string("\x80\x03\x00\x06\x00\x00\x00\x04\x0a\x0b\x0c\x0d", 12));
  EXPECT_EQ(EncodeRstStream(5, RstStatus::kRefusedStream),
            std::string("\x80\x03\x00\x03\x00\x00\x00\x08\x00\x00\x00\x05\x00\x00\x00\x03", 16));
  EXPECT_EQ(EncodeGoAway(7, 0),
            std::string("\x80\x03\x00\x07\x00\x00\x00\x08\x00\x00\x00\x07\x00\x00\x00\x00", 16));
}

TEST(SpdyFrame, RoundTripsEveryKindThroughTheReader) {
  SynStream syn{3, 1, 5, kFlagFin, "block"};
  std::string wire = EncodeSynStream(syn) + EncodeSynReply(3, 0, "reply") + EncodePing(9) +
                     EncodeRstStream(3, RstStatus::kCancel) + EncodeDataFrame(3, kFlagFin, "xyz");
  FrameReader reader;
  reader.Feed(wire);
  std::vector<Frame> frames = ReadAll(reader);
  ASSERT_EQ(frames.size(), 5u);

  ASSERT_TRUE(frames[0].control);
  EXPECT_EQ(frames[0].type, static_cast<uint16_t>(ControlType::kSynStream));
  auto parsed = ParseSynStream(frames[0]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->stream_id, 3u);
  EXPECT_EQ(parsed->associated_id, 1u);
  EXPECT_EQ(parsed->priority, 5);
  EXPECT_EQ(parsed->flags, kFlagFin);
  EXPECT_EQ(parsed->header_block, "block");

  auto reply = ParseStreamHeaders(frames[1]);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->stream_id, 3u);
  EXPECT_EQ(reply->header_block, "reply");

  auto ping = ParsePing(frames[2]);
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(*ping, 9u);

  auto rst = ParseRstStream(frames[3]);
  ASSERT_TRUE(rst.ok());
  EXPECT_EQ(rst->stream_id, 3u);
  EXPECT_EQ(rst->status, static_cast<uint32_t>(RstStatus::kCancel));

  EXPECT_FALSE(frames[4].control);
  EXPECT_EQ(frames[4].stream_id, 3u);
  EXPECT_TRUE(frames[4].fin());
  EXPECT_EQ(frames[4].payload, "xyz");
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(SpdyFrame, FramesSplitAtEveryByteBoundaryReassemble) {
  std::string big(100000, 'q');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  std::string wire = EncodeDataFrame(1, 0, "first") + EncodePing(1) +
                     EncodeDataFrame(1, kFlagFin, big) + EncodeDataFrame(3, 0, "");
  FrameReader reader;
  std::vector<Frame> frames;
  for (char byte : wire) {
    reader.Feed(std::string_view(&byte, 1));
    for (Frame& frame : ReadAll(reader)) frames.push_back(std::move(frame));
  }
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0].payload, "first");
  EXPECT_TRUE(frames[1].control);
  EXPECT_EQ(frames[2].payload, big);
  EXPECT_TRUE(frames[2].fin());
  EXPECT_EQ(frames[3].stream_id, 3u);
  EXPECT_TRUE(frames[3].payload.empty());
}

TEST(SpdyFrame, IncompleteHeaderOrPayloadWaitsForMoreBytes) {
  std::string wire = EncodeDataFrame(1, 0, "payload");
  FrameReader reader;
  reader.Feed(wire.substr(0, 5));
  auto next = reader.Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  reader.Feed(wire.substr(5, 6));
  next = reader.Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ(reader.buffered(), 11u);
  reader.Feed(wire.substr(11));
  next = reader.Next();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->payload, "payload");
}

TEST(SpdyFrame, ControlFrameOfAnotherVersionIsAnError) {
  FrameReader reader;
  reader.Feed(std::string("\x80\x02\x00\x06\x00\x00\x00\x04\x00\x00\x00\x01", 12));
  auto next = reader.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().message(),
            "spdy: control frame of version 2, only version 3 is supported");
}

TEST(SpdyFrame, ShortControlPayloadsAreRejected) {
  Frame frame{true, static_cast<uint16_t>(ControlType::kSynStream), 0, 0, "123456789"};
  auto syn = ParseSynStream(frame);
  ASSERT_FALSE(syn.ok());
  EXPECT_EQ(syn.error().message(), "spdy: SYN_STREAM payload of 9 bytes, need at least 10");
  EXPECT_FALSE(ParseRstStream(Frame{true, 3, 0, 0, "1234567"}).ok());
  EXPECT_FALSE(ParsePing(Frame{true, 6, 0, 0, "123"}).ok());
  EXPECT_FALSE(ParseStreamHeaders(Frame{true, 2, 0, 0, "12"}).ok());
}

TEST(SpdyFrame, StreamIdsDropTheReservedTopBit) {
  FrameReader data;
  data.Feed(EncodeDataFrame(0xffffffff, 0, ""));
  auto next = data.Next();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->stream_id, 0x7fffffffu);
}

}  // namespace
}  // namespace sandbox::spdy
