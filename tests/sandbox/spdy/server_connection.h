#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tests/sandbox/spdy/frame.h"
#include "tests/sandbox/spdy/header_block.h"

namespace sandbox::spdy {

// A frame of the client's that concerns one stream, decoded for the session on top.
struct StreamFrame {
  enum class Kind {
    kSynStream,  // a new stream: `headers` (decompressed); `flags` may carry FIN
    kData,       // `payload`, `flags` (FIN ends the client's side)
    kReset,      // RST_STREAM: the client dropped the stream
  };
  Kind kind = Kind::kData;
  uint32_t stream_id = 0;
  uint8_t flags = 0;
  HeaderList headers;
  std::string payload;

  bool fin() const { return (flags & kFlagFin) != 0; }
};

// The connection-level half of a SPDY/3.1 server session, shared by port-forward and
// remotecommand (exec, attach): reassembles frames, keeps the two header-compression contexts,
// echoes PINGs, notes GOAWAY and buffers the output. Frames about streams go to the session's
// handler in order. No I/O: the driver sends TakeOutput's bytes.
class ServerConnection {
 public:
  using Handler = std::function<mm::Result<void>(StreamFrame& frame)>;

  // Feeds bytes the client sent (any split) and calls `handle` for each SYN_STREAM, DATA and
  // RST_STREAM. Fails with Invalid on a protocol error, or with the handler's error; the
  // connection cannot continue after a failure (later calls fail too).
  mm::Result<void> Feed(std::string_view bytes, const Handler& handle);

  // Answers a SYN_STREAM (empty headers, as the kubelet). Internal when zlib fails.
  mm::Result<void> Reply(uint32_t stream_id);
  // Refuses a stream with RST_STREAM REFUSED_STREAM.
  void Refuse(uint32_t stream_id);
  // Sends `data` on a stream in frames of at most 64 KiB; `flags` (FIN) go on the last one. An
  // empty `data` sends one empty frame.
  void SendData(uint32_t stream_id, uint8_t flags, std::string_view data);
  // Sends GOAWAY (status OK) naming `last_stream_id` as the last one processed.
  void SendGoAway(uint32_t last_stream_id);

  // Bytes to send to the client, in order; empties the buffer.
  std::string TakeOutput();
  size_t pending_output() const { return output_.size(); }
  // True once the client sent GOAWAY.
  bool goaway_received() const { return goaway_received_; }

 private:
  mm::Result<void> HandleFrame(const Frame& frame, const Handler& handle);

  FrameReader reader_;
  HeaderCompressor compressor_;
  HeaderDecompressor decompressor_;
  std::string output_;
  bool goaway_received_ = false;
  bool failed_ = false;
};

}  // namespace sandbox::spdy
