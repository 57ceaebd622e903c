#pragma once

#include <string>
#include <vector>

#include "tests/sandbox/channel_protocol.h"
#include "tests/sandbox/sim/exec_commands.h"
#include "tests/sandbox/websocket.h"

namespace sandbox::sim {

// What a pods/exec request asks for (query parameters command, stdin, stdout, stderr, tty).
struct ExecOptions {
  std::vector<std::string> command;
  bool attach_stdin = false, attach_stdout = false, attach_stderr = false, tty = false;
};

// pods/exec over WebSocket as the kubelet serves it (wire reference §6.2): an empty message on
// the lowest requested output channel right after the 101, the command's output on stdout (1)
// and stderr (2; merged into stdout with a TTY), then the result on the error channel (3) — a
// Status for v4/v5, plain text on failure for the older protocols — and a close. `cat` echoes
// stdin until it ends: a v5 close message [255, 0], or, with v4, the client's websocket close.
class ExecSession : public WebSocketHandler {
 public:
  ExecSession(ChannelProtocol protocol, ExecOptions options, ExecContainer container);

  void Start(MessageSink* sink) override;
  void OnMessage(std::string_view message, bool binary) override;
  void OnClose() override { closed_ = true; }

 private:
  void Output(uint8_t channel, const std::string& data);
  void Finish(int exit_code);

  ChannelProtocol protocol_;
  ExecOptions options_;
  ExecContainer container_;
  MessageSink* sink_ = nullptr;
  bool streaming_stdin_ = false;  // `cat` is running
  bool closed_ = false;
};

}  // namespace sandbox::sim
