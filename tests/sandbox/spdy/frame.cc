#include "tests/sandbox/spdy/frame.h"

#include <cassert>

namespace sandbox::spdy {
namespace {

constexpr uint32_t kStreamIdMask = 0x7fffffff;

void AppendUint24(std::string& out, uint32_t value) {
  for (int shift = 16; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

uint32_t ReadUint24(std::string_view bytes, size_t offset) {
  auto at = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i]));
  };
  return (at(0) << 16) | (at(1) << 8) | at(2);
}

mm::Error Short(const char* what, size_t need, size_t got) {
  return mm::Error::Invalid(std::string("spdy: ") + what + " payload of " + std::to_string(got) +
                            " bytes, need at least " + std::to_string(need));
}

}  // namespace

uint32_t ReadUint32(std::string_view bytes, size_t offset) {
  auto at = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i]));
  };
  return (at(0) << 24) | (at(1) << 16) | (at(2) << 8) | at(3);
}

void AppendUint32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void FrameReader::Feed(std::string_view bytes) {
  // Drop consumed bytes before growing, so the buffer stays about one frame long.
  if (offset_ > 0 && offset_ >= buffer_.size() / 2) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes);
}

mm::Result<std::optional<Frame>> FrameReader::Next() {
  std::string_view view(buffer_);
  view.remove_prefix(offset_);
  if (view.size() < kFrameHeaderSize) return std::optional<Frame>();
  Frame frame;
  uint32_t first = ReadUint32(view, 0);
  frame.control = (first & 0x80000000u) != 0;
  if (frame.control) {
    uint16_t version = static_cast<uint16_t>((first >> 16) & 0x7fff);
    if (version != kVersion) {
      return mm::Error::Invalid("spdy: control frame of version " + std::to_string(version) +
                                ", only version 3 is supported");
    }
    frame.type = static_cast<uint16_t>(first & 0xffff);
  } else {
    frame.stream_id = first & kStreamIdMask;
  }
  frame.flags = static_cast<uint8_t>(view[4]);
  uint32_t length = ReadUint24(view, 5);
  if (view.size() < kFrameHeaderSize + length) return std::optional<Frame>();
  frame.payload.assign(view.substr(kFrameHeaderSize, length));
  offset_ += kFrameHeaderSize + length;
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  return std::optional<Frame>(std::move(frame));
}

std::string EncodeDataFrame(uint32_t stream_id, uint8_t flags, std::string_view payload) {
  assert(payload.size() <= kMaxFrameLength);
  std::string out;
  out.reserve(kFrameHeaderSize + payload.size());
  AppendUint32(out, stream_id & kStreamIdMask);
  out.push_back(static_cast<char>(flags));
  AppendUint24(out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

std::string EncodeControlFrame(ControlType type, uint8_t flags, std::string_view payload) {
  assert(payload.size() <= kMaxFrameLength);
  std::string out;
  out.reserve(kFrameHeaderSize + payload.size());
  AppendUint32(out, 0x80000000u | (uint32_t{kVersion} << 16) | static_cast<uint16_t>(type));
  out.push_back(static_cast<char>(flags));
  AppendUint24(out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

mm::Result<SynStream> ParseSynStream(const Frame& frame) {
  constexpr size_t kFixed = 10;  // stream id, associated id, priority, slot
  if (frame.payload.size() < kFixed) return Short("SYN_STREAM", kFixed, frame.payload.size());
  SynStream syn;
  syn.stream_id = ReadUint32(frame.payload, 0) & kStreamIdMask;
  syn.associated_id = ReadUint32(frame.payload, 4) & kStreamIdMask;
  syn.priority = static_cast<uint8_t>(static_cast<uint8_t>(frame.payload[8]) >> 5);
  syn.flags = frame.flags;
  syn.header_block = frame.payload.substr(kFixed);
  return syn;
}

std::string EncodeSynStream(const SynStream& syn) {
  std::string payload;
  AppendUint32(payload, syn.stream_id & kStreamIdMask);
  AppendUint32(payload, syn.associated_id & kStreamIdMask);
  payload.push_back(static_cast<char>(syn.priority << 5));
  payload.push_back('\0');  // slot (unused in SPDY/3.1)
  payload.append(syn.header_block);
  return EncodeControlFrame(ControlType::kSynStream, syn.flags, payload);
}

mm::Result<StreamHeaders> ParseStreamHeaders(const Frame& frame) {
  if (frame.payload.size() < 4) return Short("SYN_REPLY/HEADERS", 4, frame.payload.size());
  return StreamHeaders{ReadUint32(frame.payload, 0) & kStreamIdMask, frame.payload.substr(4)};
}

std::string EncodeSynReply(uint32_t stream_id, uint8_t flags, std::string_view header_block) {
  std::string payload;
  AppendUint32(payload, stream_id & kStreamIdMask);
  payload.append(header_block);
  return EncodeControlFrame(ControlType::kSynReply, flags, payload);
}

mm::Result<RstStream> ParseRstStream(const Frame& frame) {
  if (frame.payload.size() < 8) return Short("RST_STREAM", 8, frame.payload.size());
  return RstStream{ReadUint32(frame.payload, 0) & kStreamIdMask, ReadUint32(frame.payload, 4)};
}

std::string EncodeRstStream(uint32_t stream_id, RstStatus status) {
  std::string payload;
  AppendUint32(payload, stream_id & kStreamIdMask);
  AppendUint32(payload, static_cast<uint32_t>(status));
  return EncodeControlFrame(ControlType::kRstStream, 0, payload);
}

mm::Result<uint32_t> ParsePing(const Frame& frame) {
  if (frame.payload.size() < 4) return Short("PING", 4, frame.payload.size());
  return ReadUint32(frame.payload, 0);
}

std::string EncodePing(uint32_t id) {
  std::string payload;
  AppendUint32(payload, id);
  return EncodeControlFrame(ControlType::kPing, 0, payload);
}

std::string EncodeGoAway(uint32_t last_good_stream_id, uint32_t status) {
  std::string payload;
  AppendUint32(payload, last_good_stream_id & kStreamIdMask);
  AppendUint32(payload, status);
  return EncodeControlFrame(ControlType::kGoAway, 0, payload);
}

}  // namespace sandbox::spdy
