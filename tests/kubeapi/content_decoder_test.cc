// ContentDecoder: gzip bodies made by zlib's own encoder (and by the gzip CLI's format: members
// with a header, deflate data, CRC-32 and length), fed in pieces of every size.
#include "kubeapi/content_decoder.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace mm::kubeapi {
namespace {

// `text` as one gzip member, compressed at `level`.
std::string Gzip(const std::string& text, int level = Z_DEFAULT_COMPRESSION) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Text that compresses, with enough variety that deflate emits several blocks.
std::string Sample(size_t size) {
  std::string text;
  for (size_t i = 0; text.size() < size; ++i) {
    text += "{\"kind\":\"Pod\",\"name\":\"pod-" + std::to_string(i * 7919 % 100003) + "\"}\n";
  }
  text.resize(size);
  return text;
}

struct Decoded {
  std::string text;
  size_t chunks = 0;
  Result<void> result;
};

// Feeds `encoded` to a decoder in pieces of `piece` bytes, then finishes.
Decoded Decode(const std::string& encoded, size_t piece) {
  Decoded out;
  auto decoder = ContentDecoder::Create("gzip", [&out](std::string_view chunk) {
    EXPECT_LE(chunk.size(), 64u * 1024);
    out.text.append(chunk);
    ++out.chunks;
    return true;
  });
  EXPECT_TRUE(decoder.ok());
  for (size_t at = 0; at < encoded.size() && out.result.ok(); at += piece) {
    out.result = (*decoder)->Write(std::string_view(encoded).substr(at, piece));
  }
  if (out.result.ok()) out.result = (*decoder)->Finish();
  return out;
}

TEST(ContentDecoderTest, RoundTripsInPiecesOfAnySize) {
  const std::string text = Sample(3 << 20);
  const std::string encoded = Gzip(text);
  ASSERT_LT(encoded.size(), text.size() / 4);
  for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}, size_t{65537}, encoded.size()}) {
    if (piece == 1 && encoded.size() > 300000) continue;  // checked below on a smaller body
    Decoded decoded = Decode(encoded, piece);
    ASSERT_TRUE(decoded.result.ok()) << piece << ": " << decoded.result.error().message();
    EXPECT_EQ(decoded.text, text) << "piece " << piece;
    EXPECT_GE(decoded.chunks, text.size() / (64 * 1024)) << "decoded output is streamed in chunks";
  }
  const std::string small = Sample(20000);
  Decoded bytewise = Decode(Gzip(small), 1);
  ASSERT_TRUE(bytewise.result.ok()) << bytewise.result.error().message();
  EXPECT_EQ(bytewise.text, small);
}

TEST(ContentDecoderTest, IncompressibleAndEmptyBodies) {
  std::string noise(200000, '\0');
  uint32_t state = 12345;
  for (char& c : noise) c = static_cast<char>((state = state * 1103515245 + 12345) >> 23);
  Decoded decoded = Decode(Gzip(noise, Z_NO_COMPRESSION), 10000);
  ASSERT_TRUE(decoded.result.ok()) << decoded.result.error().message();
  EXPECT_EQ(decoded.text, noise);

  Decoded empty_member = Decode(Gzip(""), 5);
  ASSERT_TRUE(empty_member.result.ok());
  EXPECT_EQ(empty_member.text, "");
  Decoded no_bytes = Decode("", 5);  // a gzip-labelled empty body (e.g. some 204s)
  ASSERT_TRUE(no_bytes.result.ok());
  EXPECT_EQ(no_bytes.text, "");
}

TEST(ContentDecoderTest, ConcatenatedMembersDecodeAsOneBody) {
  const std::string a = Sample(100000), b = "second member", c = Sample(70000);
  const std::string encoded = Gzip(a) + Gzip(b) + Gzip("") + Gzip(c, 1);
  for (size_t piece : {size_t{3}, size_t{1000}, encoded.size()}) {
    Decoded decoded = Decode(encoded, piece);
    ASSERT_TRUE(decoded.result.ok()) << piece << ": " << decoded.result.error().message();
    EXPECT_EQ(decoded.text, a + b + c) << "piece " << piece;
  }
}

TEST(ContentDecoderTest, TruncatedBodiesFailAtFinish) {
  const std::string encoded = Gzip(Sample(50000));
  for (size_t keep : {size_t{1}, size_t{9}, encoded.size() / 2, encoded.size() - 1}) {
    Decoded decoded = Decode(encoded.substr(0, keep), 1000);
    ASSERT_FALSE(decoded.result.ok()) << "kept " << keep << " bytes";
    EXPECT_EQ(decoded.result.error().kind(), ErrorKind::kTransport);
    EXPECT_EQ(decoded.result.error().message(),
              "gzip: the response body ended inside the compressed data after " +
                  std::to_string(keep) + " bytes (unexpected EOF)");
  }
  // A second member cut short is as truncated as a first.
  Decoded second = Decode(encoded + encoded.substr(0, 30), 4096);
  ASSERT_FALSE(second.result.ok());
  EXPECT_NE(second.result.error().message().find("unexpected EOF"), std::string::npos);
}

TEST(ContentDecoderTest, CorruptBodiesFailWithTheOffset) {
  const std::string text = Sample(50000);
  const std::string encoded = Gzip(text);
  struct Case {
    std::string name, input, reason;
  };
  std::string bad_magic = encoded;
  bad_magic[0] = 'x';
  std::string bad_crc = encoded;
  bad_crc[bad_crc.size() - 6] ^= 0x55;  // inside the CRC-32 of the trailer
  std::string bad_length = encoded;
  bad_length[bad_length.size() - 2] ^= 0x01;  // inside ISIZE
  std::string bad_data = encoded;
  bad_data[20] = static_cast<char>(0xff);  // a reserved deflate block type, or bad codes
  for (const Case& c :
       std::vector<Case>{{"magic", bad_magic, "incorrect header check"},
                         {"crc", bad_crc, "incorrect data check"},
                         {"length", bad_length, "incorrect length check"},
                         {"trailing garbage", encoded + "garbage!", "incorrect header check"},
                         {"plain text", "{\"kind\":\"Status\"}", "incorrect header check"}}) {
    Decoded decoded = Decode(c.input, 777);
    ASSERT_FALSE(decoded.result.ok()) << c.name;
    const std::string& message = decoded.result.error().message();
    EXPECT_TRUE(message.starts_with("gzip: the response body is corrupt at byte ")) << message;
    EXPECT_NE(message.find("(" + c.reason + ")"), std::string::npos) << c.name << ": " << message;
  }
  Decoded data = Decode(bad_data, 777);
  ASSERT_FALSE(data.result.ok());
  EXPECT_TRUE(data.result.error().message().starts_with("gzip: the response body is corrupt"));
}

TEST(ContentDecoderTest, AFailedDecoderKeepsFailing) {
  auto decoder = ContentDecoder::Create("gzip", [](std::string_view) { return true; });
  ASSERT_TRUE(decoder.ok());
  ASSERT_FALSE((*decoder)->Write("not gzip at all").ok());
  Result<void> again = (*decoder)->Write(Gzip("fine"));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message().find("incorrect header check"), std::string::npos);
  EXPECT_FALSE((*decoder)->Finish().ok());
}

TEST(ContentDecoderTest, TheSinkCanStopDecoding) {
  const std::string text = Sample(1 << 20);
  const std::string encoded = Gzip(text);
  size_t delivered = 0;
  int calls = 0;
  auto decoder = ContentDecoder::Create("GZIP", [&](std::string_view chunk) {
    delivered += chunk.size();
    return ++calls < 3;
  });
  ASSERT_TRUE(decoder.ok());
  ASSERT_TRUE((*decoder)->Write(encoded).ok());
  EXPECT_TRUE((*decoder)->stopped());
  EXPECT_EQ(calls, 3);
  EXPECT_LE(delivered, 3u * 64 * 1024);
  EXPECT_TRUE((*decoder)->Write("more bytes are ignored").ok());
  EXPECT_TRUE((*decoder)->Finish().ok());
  EXPECT_EQ(calls, 3);
}

TEST(ContentDecoderTest, OnlyGzipIsDecoded) {
  EXPECT_TRUE(ContentDecoder::Create("x-gzip", nullptr).ok());
  auto brotli = ContentDecoder::Create("br", nullptr);
  ASSERT_FALSE(brotli.ok());
  EXPECT_EQ(brotli.error().message(),
            "the server sent a body with Content-Encoding \"br\", which this client does not "
            "decode (it asks for gzip only)");
  Result<std::string> whole = DecodeContent("gzip", Gzip("whole body"));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(*whole, "whole body");
  EXPECT_FALSE(DecodeContent("gzip", "nope").ok());
}

}  // namespace
}  // namespace mm::kubeapi
