#include "tests/sandbox/spdy/port_forward_session.h"

#include <charconv>

namespace sandbox::spdy {
namespace {

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
  return connection_.Feed(bytes, [this](StreamFrame& frame) { return HandleFrame(frame); });
}

std::vector<PortForwardAction> PortForwardSession::TakeActions() {
  std::vector<PortForwardAction> out;
  out.swap(actions_);
  return out;
}

std::vector<uint32_t> PortForwardSession::TakeNewPairs() {
  std::vector<uint32_t> out;
  out.swap(new_pairs_);
  return out;
}

mm::Result<void> PortForwardSession::HandleFrame(StreamFrame& frame) {
  switch (frame.kind) {
    case StreamFrame::Kind::kSynStream:
      return HandleSynStream(frame);
    case StreamFrame::Kind::kData:
      HandleData(frame.stream_id, frame.payload, frame.fin());
      return {};
    case StreamFrame::Kind::kReset:
      HandleRst(frame.stream_id);
      return {};
  }
  return {};
}

mm::Result<void> PortForwardSession::HandleSynStream(const StreamFrame& frame) {
  const std::string* type = FindHeader(frame.headers, "streamtype");
  uint16_t port = ParsePort(FindHeader(frame.headers, "port"));
  bool is_error = type != nullptr && *type == "error";
  bool is_data = type != nullptr && *type == "data";
  if ((!is_error && !is_data) || port == 0 || stream_to_pair_.count(frame.stream_id) != 0) {
    connection_.Refuse(frame.stream_id);
    return {};
  }
  // Clients older than the requestid header send the error stream, then the data stream two ids
  // later: pair them by the error stream's id.
  std::string request_id;
  if (const std::string* id = FindHeader(frame.headers, "requestid")) {
    request_id = *id;
  } else {
    request_id = std::to_string(is_error ? frame.stream_id : frame.stream_id - 2);
  }
  bool created = pairs_.count(request_id) == 0;
  Pair& pair = pairs_[request_id];
  uint32_t& slot = is_error ? pair.error_stream : pair.data_stream;
  if (slot != 0) {
    connection_.Refuse(frame.stream_id);
    return {};
  }
  slot = frame.stream_id;
  if (is_data) pair.port = port;
  stream_to_pair_[frame.stream_id] = request_id;
  MM_RETURN_IF_ERROR(connection_.Reply(frame.stream_id));
  if (created) new_pairs_.push_back(frame.stream_id);
  if (pair.error_stream != 0 && pair.data_stream != 0) {
    pair.connected = true;
    actions_.push_back({PortForwardAction::Kind::kConnect, pair.data_stream, pair.port, {}});
  }
  if (frame.fin()) HandleData(frame.stream_id, {}, true);
  return {};
}

void PortForwardSession::HandleData(uint32_t stream_id, const std::string& payload, bool fin) {
  auto found = stream_to_pair_.find(stream_id);
  if (found == stream_to_pair_.end()) return;  // a stream already finished or reset
  std::string request_id = found->second;
  Pair& pair = pairs_[request_id];
  if (stream_id != pair.data_stream) return;  // the client never writes on the error stream
  if (pair.pod_done) {
    if (fin) ErasePair(request_id);
    return;
  }
  // A data stream whose error stream has not arrived yet cannot be connected; kubectl always
  // opens the error stream first, so such data is a protocol slip and is dropped.
  if (!pair.connected) return;
  if (!payload.empty()) {
    actions_.push_back({PortForwardAction::Kind::kWrite, pair.data_stream, 0, payload});
  }
  if (fin && !pair.client_done) {
    pair.client_done = true;
    actions_.push_back({PortForwardAction::Kind::kShutdownWrite, pair.data_stream, 0, {}});
  }
}

void PortForwardSession::ExpirePair(uint32_t stream_id) {
  auto found = stream_to_pair_.find(stream_id);
  if (found == stream_to_pair_.end()) return;
  std::string request_id = found->second;  // a copy: ErasePair erases it
  Pair& pair = pairs_[request_id];
  if (pair.error_stream != 0 && pair.data_stream != 0) return;
  if (pair.error_stream != 0) {
    connection_.SendData(pair.error_stream, 0,
                         "(conn=&{" + std::to_string(pair.error_stream) +
                             "}, request=" + request_id + ") timed out waiting for streams");
  }
  ErasePair(request_id);
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

PortForwardSession::Pair* PortForwardSession::PairForConnection(uint32_t connection) {
  auto found = stream_to_pair_.find(connection);
  if (found == stream_to_pair_.end()) return nullptr;
  Pair& pair = pairs_[found->second];
  if (pair.data_stream != connection || pair.pod_done) return nullptr;
  return &pair;
}

void PortForwardSession::OnPodData(uint32_t connection, std::string_view data) {
  if (PairForConnection(connection) == nullptr || data.empty()) return;
  connection_.SendData(connection, 0, data);
}

void PortForwardSession::OnPodClosed(uint32_t connection) {
  if (Pair* pair = PairForConnection(connection)) Finish(*pair, {});
}

void PortForwardSession::OnPodError(uint32_t connection, std::string_view message) {
  if (Pair* pair = PairForConnection(connection)) Finish(*pair, message);
}

void PortForwardSession::Finish(Pair& pair, std::string_view error_text) {
  if (!error_text.empty()) connection_.SendData(pair.error_stream, 0, error_text);
  connection_.SendData(pair.data_stream, kFlagFin, {});
  connection_.SendData(pair.error_stream, kFlagFin, {});
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
