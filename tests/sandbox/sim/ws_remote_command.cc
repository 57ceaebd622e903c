#include "tests/sandbox/sim/ws_remote_command.h"

namespace sandbox::sim {

WebSocketRemoteCommand::WebSocketRemoteCommand(ChannelProtocol protocol, StreamOptions options,
                                               std::shared_ptr<RemoteProcess> process,
                                               Timers& timers, std::chrono::milliseconds latency)
    : protocol_(std::move(protocol)),
      options_(options),
      process_(std::move(process)),
      timers_(timers),
      latency_(latency) {}

void WebSocketRemoteCommand::Start(MessageSink* sink) {
  sink_ = sink;
  // The kubelet tells the client the streams are ready with an empty message.
  uint8_t first = options_.attach_stdout   ? kStdoutChannel
                  : options_.attach_stderr ? kStderrChannel
                                           : kErrorChannel;
  sink_->Send(EncodeChannelMessage(protocol_, first, ""));
  connected_ = latency_.count() <= 0;
  if (!connected_) {
    timers_.After(latency_, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->Connected();
    });
  }
  process_->Start(this);
}

void WebSocketRemoteCommand::Send(std::string message) {
  if (connected_) {
    sink_->Send(std::move(message));
  } else {
    held_.push_back(std::move(message));
  }
}

void WebSocketRemoteCommand::Connected() {
  if (gone_) return;
  connected_ = true;
  for (std::string& message : held_) sink_->Send(std::move(message));
  held_.clear();
  if (close_held_) sink_->Close();
}

void WebSocketRemoteCommand::Write(bool to_stderr, std::string_view data) {
  uint8_t channel = to_stderr && !options_.tty ? kStderrChannel : kStdoutChannel;
  if (ended_ || data.empty()) return;
  if (channel == kStdoutChannel && !options_.attach_stdout) return;
  if (channel == kStderrChannel && !options_.attach_stderr) return;
  Send(EncodeChannelMessage(protocol_, channel, data));
}

void WebSocketRemoteCommand::Exit(int exit_code) {
  if (ended_) return;
  ended_ = true;
  if (protocol_.version >= 4) {
    Send(EncodeChannelMessage(protocol_, kErrorChannel,
                              ExecStatusJson(exit_code, process_->CommandLine())));
  } else if (exit_code != 0) {
    Send(EncodeChannelMessage(protocol_, kErrorChannel,
                              ExecFailureMessage(exit_code, process_->CommandLine())));
  }
  if (connected_) {
    sink_->Close();
  } else {
    close_held_ = true;
  }
}

void WebSocketRemoteCommand::OnMessage(std::string_view message, bool /*binary*/) {
  uint8_t channel = 0;
  std::string payload;
  if (ended_ || !DecodeChannelMessage(protocol_, message, &channel, &payload)) return;
  if (channel == kStdinChannel && options_.attach_stdin) {
    process_->OnStdin(payload);
  } else if (channel == kCloseChannel && protocol_.version >= 5 && !payload.empty() &&
             static_cast<uint8_t>(payload[0]) == kStdinChannel) {
    process_->OnStdinEnd();
  }
}

void WebSocketRemoteCommand::OnClose() {
  ended_ = true;
  gone_ = true;  // the sink is gone too
  held_.clear();
  process_->Detach();
}

}  // namespace sandbox::sim
