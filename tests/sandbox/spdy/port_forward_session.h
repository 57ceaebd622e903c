#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/spdy/server_connection.h"

namespace sandbox::spdy {

// What the session asks its driver (the code that owns the sockets) to do, in order. A
// connection is named by the id of its data stream, unique within the session.
struct PortForwardAction {
  enum class Kind {
    kConnect,        // open a TCP connection to `port` of the pod
    kWrite,          // send `data` to the pod
    kShutdownWrite,  // the client sent everything: half-close towards the pod
    kClose,          // the client reset the streams: drop the pod connection
  };
  Kind kind = Kind::kConnect;
  uint32_t connection = 0;
  uint16_t port = 0;  // kConnect
  std::string data;   // kWrite

  bool operator==(const PortForwardAction&) const = default;
};

// The server side of a `portforward.k8s.io` SPDY/3.1 session, without I/O: feed it the client's
// bytes, send what TakeOutput returns, carry out TakeActions, and report what the pod side does.
// Per forwarded connection the client opens an error stream and a data stream with the same
// `requestid` header; every SYN_STREAM is answered with a SYN_REPLY. When the pod side closes,
// the data stream and then the error stream end with FIN (the client waits for both); a failure
// is reported as text on the error stream. PINGs are echoed. SETTINGS and WINDOW_UPDATE are
// ignored: kubectl's SPDY (spdystream) does no flow control, so the driver bounds memory by not
// reading from pods while pending_output() is large.
class PortForwardSession {
 public:
  // Feeds bytes the client sent (any split). Fails with Invalid on a protocol error the session
  // cannot recover from (the driver then closes the connection); what was decoded before the
  // error still produced output and actions.
  mm::Result<void> Feed(std::string_view bytes);

  // Bytes to send to the client, in order; empties the buffer.
  std::string TakeOutput() { return connection_.TakeOutput(); }
  size_t pending_output() const { return connection_.pending_output(); }
  // Work for the driver, in order; empties the list.
  std::vector<PortForwardAction> TakeActions();

  // The pod sent `data` on `connection` (ignored once the connection is gone).
  void OnPodData(uint32_t connection, std::string_view data);
  // The pod closed its side (EOF): ends the data stream, then the error stream.
  void OnPodClosed(uint32_t connection);
  // Connecting or talking to the pod failed: `message` goes on the error stream, then both
  // streams end. kubectl logs the text and ends the whole port-forward session.
  void OnPodError(uint32_t connection, std::string_view message);

  // The first stream of each pair that arrived since the last call: the driver calls ExpirePair
  // with it once the stream creation timeout (the kubelet's 30 s) has passed. Empties the list.
  std::vector<uint32_t> TakeNewPairs();
  // The stream creation timeout of the pair `stream_id` belongs to (see TakeNewPairs) ran out: if
  // the pair still lacks its data or error stream, the kubelet's "(conn=…, request=…) timed out
  // waiting for streams" goes on its error stream (when there is one) and the pair is forgotten,
  // as the kubelet does (the streams are not ended). Nothing happens for a complete pair.
  void ExpirePair(uint32_t stream_id);

  // True once the client sent GOAWAY: the driver flushes the output and closes.
  bool goaway_received() const { return connection_.goaway_received(); }
  // Forwarded connections not yet finished on both sides.
  size_t open_connections() const { return pairs_.size(); }

 private:
  struct Pair {
    uint32_t error_stream = 0;
    uint32_t data_stream = 0;
    uint16_t port = 0;
    bool connected = false;    // kConnect issued
    bool client_done = false;  // FIN seen on the data stream
    bool pod_done = false;     // our FINs sent
  };

  mm::Result<void> HandleFrame(StreamFrame& frame);
  mm::Result<void> HandleSynStream(const StreamFrame& frame);
  void HandleData(uint32_t stream_id, const std::string& payload, bool fin);
  void HandleRst(uint32_t stream_id);
  void Finish(Pair& pair, std::string_view error_text);
  void ErasePair(const std::string& request_id);
  Pair* PairForConnection(uint32_t connection);

  ServerConnection connection_;
  std::vector<PortForwardAction> actions_;
  std::vector<uint32_t> new_pairs_;
  std::map<std::string, Pair> pairs_;               // by requestid
  std::map<uint32_t, std::string> stream_to_pair_;  // stream id -> requestid
};

}  // namespace sandbox::spdy
