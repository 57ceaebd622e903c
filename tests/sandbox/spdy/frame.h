#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sandbox::spdy {

// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 §2.2, as spdystream and kubectl speak it).
// Every frame has an 8-byte big-endian header; the top bit tells control frames from data frames.
constexpr uint16_t kVersion = 3;
constexpr size_t kFrameHeaderSize = 8;
constexpr uint32_t kMaxFrameLength = (1u << 24) - 1;  // 24-bit length field
constexpr uint8_t kFlagFin = 0x01;
constexpr uint8_t kFlagUnidirectional = 0x02;  // SYN_STREAM only

enum class ControlType : uint16_t {
  kSynStream = 1,
  kSynReply = 2,
  kRstStream = 3,
  kSettings = 4,
  kPing = 6,
  kGoAway = 7,
  kHeaders = 8,
  kWindowUpdate = 9,
};

// RST_STREAM status codes (§2.4.2).
enum class RstStatus : uint32_t {
  kProtocolError = 1,
  kInvalidStream = 2,
  kRefusedStream = 3,
  kCancel = 5,
  kInternalError = 6,
  kStreamInUse = 8,
  kStreamAlreadyClosed = 9,
};

// One frame as read off the wire. For data frames `type` is unused; for control frames
// `stream_id` is unused (control payloads carry their own ids). The payload excludes the header.
struct Frame {
  bool control = false;
  uint16_t type = 0;
  uint32_t stream_id = 0;
  uint8_t flags = 0;
  std::string payload;

  bool fin() const { return (flags & kFlagFin) != 0; }
};

// Reassembles frames from a byte stream fed in arbitrary pieces (TLS reads or websocket messages:
// a frame may span several, and one piece may hold several frames).
class FrameReader {
 public:
  // Appends bytes the peer sent.
  void Feed(std::string_view bytes);
  // Returns the next complete frame, std::nullopt when more bytes are needed, or an Invalid
  // error for a control frame of another SPDY version (the stream cannot be resynchronised).
  mm::Result<std::optional<Frame>> Next();
  // Bytes held that do not yet form a whole frame.
  size_t buffered() const { return buffer_.size() - offset_; }

 private:
  std::string buffer_;
  size_t offset_ = 0;
};

// Big-endian helpers shared by the frame codecs.
uint32_t ReadUint32(std::string_view bytes, size_t offset);
void AppendUint32(std::string& out, uint32_t value);

// Serialises a data frame; `payload` must be at most kMaxFrameLength bytes.
std::string EncodeDataFrame(uint32_t stream_id, uint8_t flags, std::string_view payload);
// Serialises a control frame of this version; `payload` must be at most kMaxFrameLength bytes.
std::string EncodeControlFrame(ControlType type, uint8_t flags, std::string_view payload);

// SYN_STREAM (§2.6.1): the stream's id, the stream it is associated with, its priority (0-7) and
// the compressed header block.
struct SynStream {
  uint32_t stream_id = 0;
  uint32_t associated_id = 0;
  uint8_t priority = 0;
  uint8_t flags = 0;
  std::string header_block;
};
// Decodes a SYN_STREAM payload; Invalid when it is shorter than its fixed part.
mm::Result<SynStream> ParseSynStream(const Frame& frame);
std::string EncodeSynStream(const SynStream& syn);

// SYN_REPLY (§2.6.2) and HEADERS (§2.6.7) share a layout: stream id, then the header block.
struct StreamHeaders {
  uint32_t stream_id = 0;
  std::string header_block;
};
mm::Result<StreamHeaders> ParseStreamHeaders(const Frame& frame);
std::string EncodeSynReply(uint32_t stream_id, uint8_t flags, std::string_view header_block);

// RST_STREAM (§2.6.3).
struct RstStream {
  uint32_t stream_id = 0;
  uint32_t status = 0;
};
mm::Result<RstStream> ParseRstStream(const Frame& frame);
std::string EncodeRstStream(uint32_t stream_id, RstStatus status);

// PING (§2.6.5): the id is echoed back unchanged.
mm::Result<uint32_t> ParsePing(const Frame& frame);
std::string EncodePing(uint32_t id);

// GOAWAY (§2.6.6): the last stream id the sender processed and a status (0 = OK).
std::string EncodeGoAway(uint32_t last_good_stream_id, uint32_t status);

}  // namespace sandbox::spdy
