#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/spdy/server_connection.h"

namespace sandbox::spdy {

// The streams of a remotecommand session (pods/exec, pods/attach), by their `streamtype` header.
enum class StdStream { kError, kStdin, kStdout, kStderr, kResize };

// What the client did, for the driver, in order.
struct RemoteCommandEvent {
  enum class Kind {
    kReady,     // every expected stream is open: the command may start
    kStdin,     // `data` arrived on stdin
    kStdinEnd,  // the client ended (FIN) or reset its stdin
    kResize,    // `data`: the JSON terminal sizes the client wrote on the resize stream
  };
  Kind kind = Kind::kReady;
  std::string data;

  bool operator==(const RemoteCommandEvent&) const = default;
};

// The server side of an exec or attach over SPDY/3.1 (remotecommand protocols
// `v4.channel.k8s.io`, `v3`, `v2`, `channel.k8s.io`), without I/O, as the kubelet serves it. The
// client opens one stream per requested stdio stream plus the error stream (and, with a TTY on
// v3 and later, a resize stream), one at a time, each waiting for its SYN_REPLY; the kubelet
// starts the command once all of them are open. The result goes on the error stream: a
// metav1.Status JSON in v4, plain text on failure in older versions. Then every stream the server
// writes ends with FIN and the connection ends with GOAWAY, as the kubelet's conn.Close() does.
class RemoteCommandSession {
 public:
  // Which streams the request asked for (query stdin/stdout/stderr/tty): the session is ready
  // when the error stream and these are open.
  struct Expected {
    bool in = false, out = false, err = false, resize = false;
  };
  explicit RemoteCommandSession(Expected expected) : expected_(expected) {}

  // Feeds bytes the client sent (any split). Fails with Invalid on a protocol error (the driver
  // then closes the connection).
  mm::Result<void> Feed(std::string_view bytes);
  // Work for the driver, in order; empties the list.
  std::vector<RemoteCommandEvent> TakeEvents();

  // Writes command output on stdout or stderr; dropped when the client has no such stream or
  // the session finished.
  void Write(StdStream stream, std::string_view data);
  // Ends the session: `result` (if not empty) on the error stream, FIN on every stream not yet
  // ended by the server, then GOAWAY. Later writes are dropped.
  void Finish(std::string_view result);
  bool finished() const { return finished_; }

  std::string TakeOutput() { return connection_.TakeOutput(); }
  size_t pending_output() const { return connection_.pending_output(); }
  bool ready() const { return ready_; }
  // True once the client sent GOAWAY: it has gone.
  bool goaway_received() const { return connection_.goaway_received(); }

 private:
  mm::Result<void> HandleFrame(StreamFrame& frame);
  mm::Result<void> HandleSynStream(const StreamFrame& frame);
  void HandleData(uint32_t stream_id, std::string payload, bool fin);
  bool Wanted(StdStream type) const;
  uint32_t StreamOf(StdStream type) const;

  Expected expected_;
  ServerConnection connection_;
  std::map<uint32_t, StdStream> streams_;  // by stream id
  std::vector<RemoteCommandEvent> events_;
  uint32_t last_stream_ = 0;
  bool ready_ = false;
  bool stdin_ended_ = false;
  bool finished_ = false;
};

}  // namespace sandbox::spdy
