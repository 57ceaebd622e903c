#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "kubeapi/http.h"

struct nghttp2_session;

namespace mm::kubeapi {

// The flow-control windows an H2ClientSession grants the server. Received data counts as consumed
// as soon as it is handed on (to on_body or the collected body), and nghttp2 sends WINDOW_UPDATE
// once half a window has been consumed, so a watch or a 100 MB log stream never stalls on flow
// control while the consumer keeps up. Large windows matter for throughput on links with latency
// (like Go's client, which grants 4 MiB per stream and 1 GiB per connection).
struct H2SessionOptions {
  int32_t stream_window = 16 << 20;     // SETTINGS_INITIAL_WINDOW_SIZE
  int32_t connection_window = 1 << 30;  // the connection's receive window
};

// One HTTP/2 connection's client state (RFC 9113) on nghttp2, without I/O: the transport writes the
// bytes TakeOutput() gives it to the connection (after TLS with ALPN "h2") and passes what it
// reads to Receive(). Many requests may be in flight at once, each on its own stream.
//
// Lifetimes: every HttpRequest given to Submit must stay alive, unchanged, until its stream is
// Finished() and its response taken, or the stream is cancelled: the session reads its body and
// calls its on_body from there. Not thread-safe: one thread drives a session at a time.
class H2ClientSession {
 public:
  // Returns a session that has queued the connection preface and its SETTINGS (no server push,
  // the windows of `options`); fails only when nghttp2 cannot allocate.
  static Result<std::unique_ptr<H2ClientSession>> Create(H2SessionOptions options = {});
  ~H2ClientSession();
  H2ClientSession(const H2ClientSession&) = delete;
  H2ClientSession& operator=(const H2ClientSession&) = delete;

  // Queues `request` as a new stream to `authority` (host:port, sent as :authority) and
  // `path_and_query` (":path"; empty means "/"), with scheme https, and returns the stream id. The
  // request's headers are sent with lower-cased names; Host and the connection-specific headers
  // HTTP/2 forbids (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, and TE
  // other than "trailers") are left out. A body of any size is sent as DATA frames as the server's
  // flow-control windows allow. With `decode_gzip` (the caller offered Accept-Encoding: gzip), a
  // gzip answer is decoded as its DATA frames arrive (BodySink), for on_body and collected bodies
  // alike, so neither a watch nor a large list is ever held compressed and decoded at once. Fails
  // when the connection takes no new streams (see Reusable()), or when a header cannot be carried
  // (bad name, CR/LF/NUL in a value; the value is never quoted). The error's message is the bare
  // cause ("http2: ..."), without kubectl's "Unable to connect to the server: " prefix, which
  // DescribeTransferFailure adds.
  Result<int32_t> Submit(const HttpRequest& request, std::string_view authority,
                         std::string_view path_and_query, bool decode_gzip = false);

  // Processes `bytes` read from the connection: answers SETTINGS and PING, acknowledges data with
  // WINDOW_UPDATE, collects responses, and calls on_body with each (decoded) DATA chunk of a 2xx
  // response whose request set it (returning false there cancels that stream with RST_STREAM and
  // finishes it with the status and headers received). A body that cannot be decoded (an unknown
  // Content-Encoding, corrupt or truncated gzip) fails its stream (kOther) and resets it. Streams
  // the server refuses by GOAWAY (above its last-stream-id) or resets with RST_STREAM finish as
  // failures. Fails on a connection-level protocol error, after failing every open stream; the
  // session is then not Reusable() and TakeOutput() holds the GOAWAY to send.
  Result<void> Receive(std::string_view bytes);

  // Appends the bytes to write to the connection, in order (preface, SETTINGS, HEADERS, DATA,
  // WINDOW_UPDATE, PING and SETTINGS acknowledgements, RST_STREAM, GOAWAY). Appends nothing when
  // there is nothing to send, including while request bodies wait for the server's windows.
  void TakeOutput(std::string& out);
  // True when TakeOutput would append something.
  bool WantsWrite() const;

  // True once `stream`'s response is complete or failed (or the stream is unknown here).
  bool Finished(int32_t stream) const;
  // True when `stream` failed without the server having processed it (RFC 9113 §8.7): it was above
  // the last-stream-id of the server's GOAWAY, or reset with REFUSED_STREAM. Such a request may be
  // sent again on a new connection whatever its method, e.g. after a server closed an idle
  // connection with GOAWAY just as the request went out. Call before TakeResponse.
  bool Refused(int32_t stream) const;
  // Returns `stream`'s response and forgets the stream: status and lower-cased headers, the body
  // unless on_body took it (error bodies are always collected), http2 = true. A stream that failed
  // has status 0 and failure set: kConnectionLost for RST_STREAM, GOAWAY and a lost connection,
  // kOther for protocol errors. Call after Finished(stream); an unknown or unfinished stream
  // returns a kOther failure.
  HttpResponse TakeResponse(int32_t stream);
  // Forgets `stream` and, while it is open, queues RST_STREAM(CANCEL) for it; later frames of the
  // stream are dropped. For timeouts and cancellation driven by the transport.
  void Cancel(int32_t stream);

  // Fails every unfinished stream with `failure` and `message` and makes the session not reusable:
  // for the transport when the connection closes, breaks or times out underneath.
  void FailAll(NetworkFailure failure, std::string_view message);

  // True while new requests may be submitted: no GOAWAY sent or received, no protocol error, no
  // FailAll, and stream ids left.
  bool Reusable() const;
  // Streams submitted whose responses have not been taken or cancelled.
  size_t open_streams() const { return streams_.size(); }

 private:
  struct Stream;
  struct Callbacks;
  explicit H2ClientSession(H2SessionOptions options);
  Stream* Find(int32_t stream_id);
  void FinishStream(int32_t stream_id, uint32_t error_code);
  void OnGoaway(int32_t last_stream_id, uint32_t error_code, std::string_view debug);
  void EndIfDone();

  H2SessionOptions options_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::unique_ptr<Stream>> streams_;
  bool failed_ = false;
  std::string failure_message_;  // why the session failed (protocol error, FailAll)
  bool goaway_received_ = false;
  int32_t goaway_last_stream_id_ = 0;
  std::string goaway_text_;  // Go's words for it, for the refused streams' failure messages
  std::string last_error_;   // nghttp2's last complaint about what the server sent
};

}  // namespace mm::kubeapi
