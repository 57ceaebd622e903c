#pragma once

#include <memory>

#include "tests/sandbox/channel_protocol.h"
#include "tests/sandbox/sim/remote_process.h"
#include "tests/sandbox/websocket.h"

namespace sandbox::sim {

// Which streams a pods/exec or pods/attach request asks for (query stdin, stdout, stderr, tty).
struct StreamOptions {
  bool attach_stdin = false, attach_stdout = false, attach_stderr = false, tty = false;
};

// pods/exec and pods/attach over WebSocket as the kubelet serves them (wire reference §6.2): an
// empty message on the lowest requested output channel right after the 101, the process's
// output on stdout (1) and stderr (2; merged into stdout with a TTY), then its result on the
// error channel (3) — a Status for v4/v5, plain text on failure for the older protocols — and a
// close. Stdin (channel 0) goes to the process; it ends with a v5 close message [255, 0] or, with
// v4, the client's websocket close.
class WebSocketRemoteCommand : public WebSocketHandler, ProcessOutput {
 public:
  WebSocketRemoteCommand(ChannelProtocol protocol, StreamOptions options,
                         std::shared_ptr<RemoteProcess> process);

  void Start(MessageSink* sink) override;
  void OnMessage(std::string_view message, bool binary) override;
  void OnClose() override;

 private:
  void Write(bool to_stderr, std::string_view data) override;
  void Exit(int exit_code) override;

  ChannelProtocol protocol_;
  StreamOptions options_;
  std::shared_ptr<RemoteProcess> process_;
  MessageSink* sink_ = nullptr;
  bool ended_ = false;  // the process exited or the client went away
};

}  // namespace sandbox::sim
