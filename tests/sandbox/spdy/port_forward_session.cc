#include "tests/sandbox/spdy/port_forward_session.h"

#include <charconv>

namespace sandbox::spdy {
namespace {

// Pod data is cut into frames of at most this size so one connection cannot hold the client's
// frame reader for long.
constexpr size_t kMaxDataPayload = 64 * 1024;

// Parses a decimal port in 1-65535; 0 when it is not one.
uint16_t ParsePort(const std::string* text) {
  if (text == nullptr) return 0;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value == 0 || value > 65535) {
    return 0;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

mm::Result<void> PortForwardSession::Feed(std::string_view bytes) {
  if (failed_) return mm::Error::Invalid("spdy: session already failed");
  reader_.Feed(bytes);
  while (true) {
    auto next = reader_.Next();
    if (next.ok() && !next->has_value()) return {};
    mm::Result<void> handled = next.ok() ? HandleFrame(**next) : mm::Result<void>(next.error());
    if (!handled) {
      failed_ = true;
      return handled;
    }
  }
}

std::string PortForwardSession::TakeOutput() {
  std::string out;
  out.swap(output_);
  return out;
}

std::vector<PortForwardAction> PortForwardSession::TakeActions() {
  std::vector<PortForwardAction> out;
  out.swap(actions_);
  return out;
}

mm::Result<void> PortForwardSession::HandleFrame(const Frame& frame) {
  if (!frame.control) {
    HandleData(frame);
    return {};
  }
  switch (static_cast<ControlType>(frame.type)) {
    case ControlType::kSynStream:
      return HandleSynStream(frame);
    case ControlType::kRstStream: {
      auto rst = ParseRstStream(frame);
      if (!rst) return rst.error();
      HandleRst(rst->stream_id);
      return {};
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
      // Never expected from a port-forward client, but their header blocks advance the shared
      // zlib context, so they are decompressed and dropped.
      auto headers = ParseStreamHeaders(frame);
      if (!headers) return headers.error();
      auto decoded = decompressor_.Decompress(headers->header_block);
      if (!decoded) return decoded.error();
      return {};
    }
    default:  // SETTINGS, WINDOW_UPDATE and unknown types carry nothing this server needs
      return {};
  }
}

mm::Result<void> PortForwardSession::HandleSynStream(const Frame& frame) {
  auto syn = ParseSynStream(frame);
  if (!syn) return syn.error();
  auto headers = decompressor_.Decompress(syn->header_block);
  if (!headers) return headers.error();
  const std::string* type = FindHeader(*headers, "streamtype");
  uint16_t port = ParsePort(FindHeader(*headers, "port"));
  bool is_error = type != nullptr && *type == "error";
  bool is_data = type != nullptr && *type == "data";
  if ((!is_error && !is_data) || port == 0 || stream_to_pair_.count(syn->stream_id) != 0) {
    RefuseStream(syn->stream_id);
    return {};
  }
  // Clients older than the requestid header send the error stream, then the data stream two ids
  // later: pair them by the error stream's id.
  std::string request_id;
  if (const std::string* id = FindHeader(*headers, "requestid")) {
    request_id = *id;
  } else {
    request_id = std::to_string(is_error ? syn->stream_id : syn->stream_id - 2);
  }
  Pair& pair = pairs_[request_id];
  uint32_t& slot = is_error ? pair.error_stream : pair.data_stream;
  if (slot != 0) {
    RefuseStream(syn->stream_id);
    return {};
  }
  slot = syn->stream_id;
  if (is_data) pair.port = port;
  stream_to_pair_[syn->stream_id] = request_id;
  auto reply = compressor_.Compress({});
  if (!reply) return reply.error();
  output_ += EncodeSynReply(syn->stream_id, 0, *reply);
  if (pair.error_stream != 0 && pair.data_stream != 0) {
    pair.connected = true;
    actions_.push_back({PortForwardAction::Kind::kConnect, pair.data_stream, pair.port, {}});
  }
  if ((syn->flags & kFlagFin) != 0) HandleData(Frame{false, 0, syn->stream_id, kFlagFin, {}});
  return {};
}

void PortForwardSession::HandleData(const Frame& frame) {
  auto found = stream_to_pair_.find(frame.stream_id);
  if (found == stream_to_pair_.end()) return;  // a stream already finished or reset
  std::string request_id = found->second;
  Pair& pair = pairs_[request_id];
  if (frame.stream_id != pair.data_stream) return;  // the client never writes on the error stream
  if (pair.pod_done) {
    if (frame.fin()) ErasePair(request_id);
    return;
  }
  // A data stream whose error stream has not arrived yet cannot be connected; kubectl always
  // opens the error stream first, so such data is a protocol slip and is dropped.
  if (!pair.connected) return;
  if (!frame.payload.empty()) {
    actions_.push_back({PortForwardAction::Kind::kWrite, pair.data_stream, 0, frame.payload});
  }
  if (frame.fin() && !pair.client_done) {
    pair.client_done = true;
    actions_.push_back({PortForwardAction::Kind::kShutdownWrite, pair.data_stream, 0, {}});
  }
}

void PortForwardSession::HandleRst(uint32_t stream_id) {
  auto found = stream_to_pair_.find(stream_id);
  if (found == stream_to_pair_.end()) return;
  std::string request_id = found->second;
  Pair& pair = pairs_[request_id];
  if (pair.connected && !pair.pod_done) {
    actions_.push_back({PortForwardAction::Kind::kClose, pair.data_stream, 0, {}});
  }
  ErasePair(request_id);
}

void PortForwardSession::RefuseStream(uint32_t stream_id) {
  output_ += EncodeRstStream(stream_id, RstStatus::kRefusedStream);
}

void PortForwardSession::SendData(uint32_t stream_id, uint8_t flags, std::string_view data) {
  do {
    std::string_view piece = data.substr(0, kMaxDataPayload);
    data.remove_prefix(piece.size());
    output_ += EncodeDataFrame(stream_id, data.empty() ? flags : 0, piece);
  } while (!data.empty());
}

PortForwardSession::Pair* PortForwardSession::PairForConnection(uint32_t connection) {
  auto found = stream_to_pair_.find(connection);
  if (found == stream_to_pair_.end()) return nullptr;
  Pair& pair = pairs_[found->second];
  if (pair.data_stream != connection || pair.pod_done) return nullptr;
  return &pair;
}

void PortForwardSession::OnPodData(uint32_t connection, std::string_view data) {
  if (PairForConnection(connection) == nullptr || data.empty()) return;
  SendData(connection, 0, data);
}

void PortForwardSession::OnPodClosed(uint32_t connection) {
  if (Pair* pair = PairForConnection(connection)) Finish(*pair, {});
}

void PortForwardSession::OnPodError(uint32_t connection, std::string_view message) {
  if (Pair* pair = PairForConnection(connection)) Finish(*pair, message);
}

void PortForwardSession::Finish(Pair& pair, std::string_view error_text) {
  if (!error_text.empty()) SendData(pair.error_stream, 0, error_text);
  SendData(pair.data_stream, kFlagFin, {});
  SendData(pair.error_stream, kFlagFin, {});
  pair.pod_done = true;
  if (pair.client_done) {
    std::string request_id = stream_to_pair_[pair.data_stream];  // a copy: ErasePair erases it
    ErasePair(request_id);
  }
}

void PortForwardSession::ErasePair(const std::string& request_id) {
  auto found = pairs_.find(request_id);
  if (found == pairs_.end()) return;
  stream_to_pair_.erase(found->second.error_stream);
  stream_to_pair_.erase(found->second.data_stream);
  pairs_.erase(found);
}

}  // namespace sandbox::spdy
