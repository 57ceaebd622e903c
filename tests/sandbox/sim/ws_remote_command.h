#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/sandbox/channel_protocol.h"
#include "tests/sandbox/sim/remote_process.h"
#include "tests/sandbox/sim/timers.h"
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
//
// Everything after the empty message waits `latency`, the API server's trip to the kubelet (and
// the kubelet's to the container runtime) that a real exec makes before its process runs. It is
// not decoration: kubectl 1.30 to 1.33 (client-go before kubernetes commit 3379d5ac, "make sure
// all streams are created before starting demux websocket") reads the connection while another
// goroutine still registers its streams, so output that arrives first is dropped ("Unknown stream
// id") and a close that arrives first fails the exec with "error: closed all streams". A real
// cluster's latency hides that race; a server answering within a millisecond does not.
class WebSocketRemoteCommand : public WebSocketHandler,
                               ProcessOutput,
                               public std::enable_shared_from_this<WebSocketRemoteCommand> {
 public:
  // `timers` must outlive the handler.
  WebSocketRemoteCommand(ChannelProtocol protocol, StreamOptions options,
                         std::shared_ptr<RemoteProcess> process, Timers& timers,
                         std::chrono::milliseconds latency);

  void Start(MessageSink* sink) override;
  void OnMessage(std::string_view message, bool binary) override;
  void OnClose() override;

 private:
  void Write(bool to_stderr, std::string_view data) override;
  void Exit(int exit_code) override;
  // Sends `message` now, or once the latency has passed.
  void Send(std::string message);
  void Connected();

  ChannelProtocol protocol_;
  StreamOptions options_;
  std::shared_ptr<RemoteProcess> process_;
  Timers& timers_;
  std::chrono::milliseconds latency_;
  MessageSink* sink_ = nullptr;
  bool ended_ = false;             // the process exited or the client went away
  bool gone_ = false;              // the client went away (OnClose): the sink is no longer valid
  bool connected_ = false;         // the latency has passed: messages go out as they come
  std::vector<std::string> held_;  // messages waiting for the latency to pass
  bool close_held_ = false;        // the close, after them
};

}  // namespace sandbox::sim
