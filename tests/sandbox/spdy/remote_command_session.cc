#include "tests/sandbox/spdy/remote_command_session.h"

#include <optional>

namespace sandbox::spdy {
namespace {

std::optional<StdStream> ParseStreamType(const std::string* text) {
  if (text == nullptr) return std::nullopt;
  if (*text == "error") return StdStream::kError;
  if (*text == "stdin") return StdStream::kStdin;
  if (*text == "stdout") return StdStream::kStdout;
  if (*text == "stderr") return StdStream::kStderr;
  if (*text == "resize") return StdStream::kResize;
  return std::nullopt;
}

}  // namespace

mm::Result<void> RemoteCommandSession::Feed(std::string_view bytes) {
  return connection_.Feed(bytes, [this](StreamFrame& frame) { return HandleFrame(frame); });
}

std::vector<RemoteCommandEvent> RemoteCommandSession::TakeEvents() {
  std::vector<RemoteCommandEvent> out;
  out.swap(events_);
  return out;
}

mm::Result<void> RemoteCommandSession::HandleFrame(StreamFrame& frame) {
  switch (frame.kind) {
    case StreamFrame::Kind::kSynStream:
      return HandleSynStream(frame);
    case StreamFrame::Kind::kData:
      HandleData(frame.stream_id, std::move(frame.payload), frame.fin());
      return {};
    case StreamFrame::Kind::kReset:
      // A reset stdin ends the input; the client resets nothing else it still needs.
      HandleData(frame.stream_id, {}, true);
      return {};
  }
  return {};
}

bool RemoteCommandSession::Wanted(StdStream type) const {
  switch (type) {
    case StdStream::kError:
      return true;
    case StdStream::kStdin:
      return expected_.in;
    case StdStream::kStdout:
      return expected_.out;
    case StdStream::kStderr:
      return expected_.err;
    case StdStream::kResize:
      return expected_.resize;
  }
  return false;
}

uint32_t RemoteCommandSession::StreamOf(StdStream type) const {
  for (const auto& [id, t] : streams_) {
    if (t == type) return id;
  }
  return 0;
}

mm::Result<void> RemoteCommandSession::HandleSynStream(const StreamFrame& frame) {
  // The kubelet answers every stream (its upgrader accepts them all) and only counts the ones it
  // expects; an unknown or duplicate type is answered and then ignored.
  MM_RETURN_IF_ERROR(connection_.Reply(frame.stream_id));
  last_stream_ = frame.stream_id;
  auto type = ParseStreamType(FindHeader(frame.headers, "streamtype"));
  if (!type || !Wanted(*type) || StreamOf(*type) != 0 || finished_) return {};
  streams_[frame.stream_id] = *type;
  size_t wanted = 1 + expected_.in + expected_.out + expected_.err + expected_.resize;
  if (!ready_ && streams_.size() == wanted) {
    ready_ = true;
    events_.push_back({RemoteCommandEvent::Kind::kReady, {}});
  }
  if (frame.fin()) HandleData(frame.stream_id, {}, true);
  return {};
}

void RemoteCommandSession::HandleData(uint32_t stream_id, std::string payload, bool fin) {
  auto found = streams_.find(stream_id);
  if (found == streams_.end() || finished_) return;
  if (found->second == StdStream::kStdin && !stdin_ended_) {
    if (!payload.empty()) events_.push_back({RemoteCommandEvent::Kind::kStdin, std::move(payload)});
    if (fin) {
      stdin_ended_ = true;
      events_.push_back({RemoteCommandEvent::Kind::kStdinEnd, {}});
    }
  } else if (found->second == StdStream::kResize && !payload.empty()) {
    events_.push_back({RemoteCommandEvent::Kind::kResize, std::move(payload)});
  }
}

void RemoteCommandSession::Write(StdStream stream, std::string_view data) {
  uint32_t id = StreamOf(stream);
  if (finished_ || id == 0 || data.empty()) return;
  connection_.SendData(id, 0, data);
}

void RemoteCommandSession::Finish(std::string_view result) {
  if (finished_) return;
  finished_ = true;
  uint32_t error = StreamOf(StdStream::kError);
  if (error != 0 && !result.empty()) connection_.SendData(error, 0, result);
  for (const auto& [id, type] : streams_) connection_.SendData(id, kFlagFin, {});
  connection_.SendGoAway(last_stream_);
}

}  // namespace sandbox::spdy
