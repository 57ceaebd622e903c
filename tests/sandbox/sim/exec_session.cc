#include "tests/sandbox/sim/exec_session.h"

namespace sandbox::sim {
namespace {

std::string CommandLine(const std::vector<std::string>& command) {
  std::string out;
  for (const auto& word : command) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace

ExecSession::ExecSession(ChannelProtocol protocol, ExecOptions options, ExecContainer container)
    : protocol_(std::move(protocol)),
      options_(std::move(options)),
      container_(std::move(container)) {}

void ExecSession::Start(MessageSink* sink) {
  sink_ = sink;
  // The kubelet tells the client the streams are ready with an empty message.
  uint8_t first = options_.attach_stdout   ? kStdoutChannel
                  : options_.attach_stderr ? kStderrChannel
                                           : kErrorChannel;
  sink_->Send(EncodeChannelMessage(protocol_, first, ""));
  const auto& argv = options_.command;
  if (argv.size() == 1 && (argv[0] == "cat" || argv[0] == "/bin/cat")) {
    if (options_.attach_stdin) {
      streaming_stdin_ = true;
      return;
    }
    Finish(0);
    return;
  }
  ExecResult result = RunBuiltin(container_, argv);
  Output(kStdoutChannel, result.out);
  Output(kStderrChannel, result.err);
  Finish(result.exit_code);
}

void ExecSession::Output(uint8_t channel, const std::string& data) {
  if (data.empty()) return;
  if (channel == kStderrChannel && options_.tty) channel = kStdoutChannel;
  if (channel == kStdoutChannel && !options_.attach_stdout) return;
  if (channel == kStderrChannel && !options_.attach_stderr) return;
  sink_->Send(EncodeChannelMessage(protocol_, channel, data));
}

void ExecSession::Finish(int exit_code) {
  streaming_stdin_ = false;
  std::string command = CommandLine(options_.command);
  if (protocol_.version >= 4) {
    sink_->Send(EncodeChannelMessage(protocol_, kErrorChannel, ExecStatusJson(exit_code, command)));
  } else if (exit_code != 0) {
    sink_->Send(
        EncodeChannelMessage(protocol_, kErrorChannel,
                             "command '" + command + "' exited with " + std::to_string(exit_code)));
  }
  sink_->Close();
}

void ExecSession::OnMessage(std::string_view message, bool /*binary*/) {
  uint8_t channel = 0;
  std::string payload;
  if (closed_ || !streaming_stdin_ ||
      !DecodeChannelMessage(protocol_, message, &channel, &payload)) {
    return;
  }
  if (channel == kStdinChannel) {
    Output(kStdoutChannel, payload);
  } else if (channel == kCloseChannel && protocol_.version >= 5 && !payload.empty() &&
             static_cast<uint8_t>(payload[0]) == kStdinChannel) {
    Finish(0);
  }
}

}  // namespace sandbox::sim
