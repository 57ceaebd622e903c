#include "tests/sandbox/spdy/server_connection.h"

namespace sandbox::spdy {
namespace {

// Data is cut into frames of at most this size so one stream cannot hold the client's frame
// reader for long.
constexpr size_t kMaxDataPayload = 64 * 1024;

}  // namespace

mm::Result<void> ServerConnection::Feed(std::string_view bytes, const Handler& handle) {
  if (failed_) return mm::Error::Invalid("spdy: session already failed");
  reader_.Feed(bytes);
  while (true) {
    auto next = reader_.Next();
    if (next.ok() && !next->has_value()) return {};
    mm::Result<void> handled =
        next.ok() ? HandleFrame(**next, handle) : mm::Result<void>(next.error());
    if (!handled) {
      failed_ = true;
      return handled;
    }
  }
}

mm::Result<void> ServerConnection::HandleFrame(const Frame& frame, const Handler& handle) {
  if (!frame.control) {
    StreamFrame data{StreamFrame::Kind::kData, frame.stream_id, frame.flags, {}, frame.payload};
    return handle(data);
  }
  switch (static_cast<ControlType>(frame.type)) {
    case ControlType::kSynStream: {
      auto syn = ParseSynStream(frame);
      if (!syn) return syn.error();
      auto headers = decompressor_.Decompress(syn->header_block);
      if (!headers) return headers.error();
      StreamFrame opened{
          StreamFrame::Kind::kSynStream, syn->stream_id, syn->flags, std::move(*headers), {}};
      return handle(opened);
    }
    case ControlType::kRstStream: {
      auto rst = ParseRstStream(frame);
      if (!rst) return rst.error();
      StreamFrame reset{StreamFrame::Kind::kReset, rst->stream_id, 0, {}, {}};
      return handle(reset);
    }
    case ControlType::kPing: {
      auto id = ParsePing(frame);
      if (!id) return id.error();
      output_ += EncodePing(*id);
      return {};
    }
    case ControlType::kGoAway:
      goaway_received_ = true;
      return {};
    case ControlType::kHeaders:
    case ControlType::kSynReply: {
      // Never expected from these clients, but their header blocks advance the shared zlib
      // context, so they are decompressed and dropped.
      auto headers = ParseStreamHeaders(frame);
      if (!headers) return headers.error();
      auto decoded = decompressor_.Decompress(headers->header_block);
      if (!decoded) return decoded.error();
      return {};
    }
    default:  // SETTINGS, WINDOW_UPDATE and unknown types carry nothing a server here needs
      return {};
  }
}

mm::Result<void> ServerConnection::Reply(uint32_t stream_id) {
  auto reply = compressor_.Compress({});
  if (!reply) return reply.error();
  output_ += EncodeSynReply(stream_id, 0, *reply);
  return {};
}

void ServerConnection::Refuse(uint32_t stream_id) {
  output_ += EncodeRstStream(stream_id, RstStatus::kRefusedStream);
}

void ServerConnection::SendData(uint32_t stream_id, uint8_t flags, std::string_view data) {
  do {
    std::string_view piece = data.substr(0, kMaxDataPayload);
    data.remove_prefix(piece.size());
    output_ += EncodeDataFrame(stream_id, data.empty() ? flags : 0, piece);
  } while (!data.empty());
}

void ServerConnection::SendGoAway(uint32_t last_stream_id) {
  output_ += EncodeGoAway(last_stream_id, 0);
}

std::string ServerConnection::TakeOutput() {
  std::string out;
  out.swap(output_);
  return out;
}

}  // namespace sandbox::spdy
