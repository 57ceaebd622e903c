#pragma once

#include <chrono>
#include <memory>

#include "tests/sandbox/sim/remote_process.h"
#include "tests/sandbox/sim/timers.h"
#include "tests/sandbox/sim/ws_remote_command.h"
#include "tests/sandbox/spdy/remote_command_session.h"
#include "tests/sandbox/websocket.h"

namespace sandbox::sim {

// pods/exec and pods/attach over SPDY/3.1 on the raw upgraded connection (kubectl up to 1.29,
// and newer ones when their WebSocket attempt fails or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false):
// spdy::RemoteCommandSession carries the process's streams. The process starts once the client
// opened every stream it asked for; if that does not happen within the stream creation timeout
// (the kubelet's 30 s) the connection is closed. After the result the server waits for the
// client to close the connection (kubectl does at once), closing it itself after a grace period.
class SpdyRemoteCommand : public WebSocketHandler,
                          ProcessOutput,
                          public std::enable_shared_from_this<SpdyRemoteCommand> {
 public:
  // `version` is the negotiated protocol's (4 for v4.channel.k8s.io ... 1 for channel.k8s.io).
  // `timers` must outlive the handler.
  SpdyRemoteCommand(int version, StreamOptions options, std::shared_ptr<RemoteProcess> process,
                    Timers& timers, std::chrono::milliseconds stream_creation_timeout);

  void Start(MessageSink* sink) override;
  void OnMessage(std::string_view message, bool binary) override;
  void OnClose() override;

  // How long the connection stays open after the result when the client does not close it.
  static constexpr std::chrono::milliseconds kCloseGrace{5000};

 private:
  void Write(bool to_stderr, std::string_view data) override;
  void Exit(int exit_code) override;
  void Flush();
  void CloseLater(std::chrono::milliseconds delay);
  void Close();

  int version_;
  StreamOptions options_;
  std::shared_ptr<RemoteProcess> process_;
  Timers& timers_;
  std::chrono::milliseconds stream_creation_timeout_;
  spdy::RemoteCommandSession session_;
  MessageSink* sink_ = nullptr;
  bool started_ = false;  // the process runs (or ran)
  bool closed_ = false;
};

}  // namespace sandbox::sim
