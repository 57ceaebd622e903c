#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct z_stream_s;  // zlib's stream state (zlib.h stays out of this header)

namespace mm::kubeapi {

// A streaming decoder for an HTTP response body sent with `Content-Encoding: gzip` (RFC 9110
// §8.4.1.3), on zlib. Encoded chunks go in through Write, in any sizes; decoded chunks come out
// through the sink as soon as zlib produces them (at most 64 KiB each), so a watch or a log stream
// is decoded as it arrives and a large list never needs the whole compressed body in memory.
// Several gzip members in a row (RFC 1952 §2.2) decode as one body, as Go's gzip.Reader does.
// No I/O; not thread-safe. Used by both the HTTP/1.1 and the HTTP/2 paths of the transport.
class ContentDecoder {
 public:
  // Receives decoded bytes in order. Returning false stops decoding: later Write and Finish calls
  // do nothing and succeed, and stopped() turns true.
  using Sink = std::function<bool(std::string_view decoded)>;

  // Returns a decoder for `content_encoding` (a Content-Encoding value: "gzip" or "x-gzip", any
  // case) that feeds `sink`. Fails with a transport error naming any other encoding, or when zlib
  // cannot allocate its state.
  static Result<std::unique_ptr<ContentDecoder>> Create(std::string_view content_encoding,
                                                        Sink sink);
  ~ContentDecoder();
  ContentDecoder(const ContentDecoder&) = delete;
  ContentDecoder& operator=(const ContentDecoder&) = delete;

  // Decodes `encoded` (the next bytes of the body) into the sink. Fails, and keeps failing, on
  // corrupt input (bad header, bad deflate data, wrong CRC-32 or length, bytes after a member that
  // do not start another one); the message names the byte offset of the encoded body.
  Result<void> Write(std::string_view encoded);
  // Ends the body: fails when it stopped inside a gzip member (a truncated body). An empty body
  // decodes to nothing.
  Result<void> Finish();

  bool stopped() const { return stopped_; }
  // Encoded bytes consumed so far.
  uint64_t encoded_bytes() const { return encoded_bytes_; }

 private:
  ContentDecoder(std::unique_ptr<z_stream_s> stream, Sink sink);
  Result<void> Fail(std::string message);

  std::unique_ptr<z_stream_s> stream_;
  Sink sink_;
  std::vector<unsigned char> out_;
  uint64_t encoded_bytes_ = 0;
  bool in_member_ = false;  // some of the current member's bytes arrived, not its end
  bool stopped_ = false;
  std::string error_;  // set once corrupt input was seen
};

// Returns the whole decoded form of `body`, encoded with `content_encoding` (see
// ContentDecoder::Create). Fails as ContentDecoder's Write and Finish do.
Result<std::string> DecodeContent(std::string_view content_encoding, std::string_view body);

}  // namespace mm::kubeapi
