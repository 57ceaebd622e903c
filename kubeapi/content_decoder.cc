#include "kubeapi/content_decoder.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace mm::kubeapi {
namespace {

constexpr size_t kOutputChunk = 64 * 1024;
constexpr int kGzipOnly = 15 + 16;  // the largest window, gzip framing only (no zlib, no raw)

bool IsGzip(std::string_view encoding) {
  auto lower = [](std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
  };
  std::string name = lower(encoding);
  return name == "gzip" || name == "x-gzip";
}

}  // namespace

Result<std::unique_ptr<ContentDecoder>> ContentDecoder::Create(std::string_view content_encoding,
                                                               Sink sink) {
  if (!IsGzip(content_encoding)) {
    return Error::Transport("the server sent a body with Content-Encoding \"" +
                            std::string(content_encoding) +
                            "\", which this client does not decode (it asks for gzip only)");
  }
  auto stream = std::make_unique<z_stream_s>();
  if (inflateInit2(stream.get(), kGzipOnly) != Z_OK) {
    return Error::Transport("gzip: zlib could not allocate its decoder");
  }
  return std::unique_ptr<ContentDecoder>(new ContentDecoder(std::move(stream), std::move(sink)));
}

ContentDecoder::ContentDecoder(std::unique_ptr<z_stream_s> stream, Sink sink)
    : stream_(std::move(stream)), sink_(std::move(sink)), out_(kOutputChunk) {}

ContentDecoder::~ContentDecoder() { inflateEnd(stream_.get()); }

Result<void> ContentDecoder::Fail(std::string message) {
  error_ = std::move(message);
  return Error::Transport(error_);
}

Result<void> ContentDecoder::Write(std::string_view encoded) {
  if (stopped_ || encoded.empty()) return {};
  if (!error_.empty()) return Error::Transport(error_);
  z_stream_s& z = *stream_;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(encoded.data()));
  z.avail_in = static_cast<uInt>(encoded.size());
  // zlib counts in uInt; bodies are fed in pieces far below 4 GiB (socket reads, DATA frames).
  while (true) {
    // After a member's end, the next bytes must start another member (zlib resets total_in).
    if (!in_member_ && z.avail_in > 0 && z.total_in > 0) inflateReset(&z);
    const uLong before = z.total_in;
    z.next_out = out_.data();
    z.avail_out = static_cast<uInt>(out_.size());
    int rc = inflate(&z, Z_NO_FLUSH);
    encoded_bytes_ += z.total_in - before;
    const size_t produced = out_.size() - z.avail_out;
    if (produced > 0 &&
        !sink_(std::string_view(reinterpret_cast<const char*>(out_.data()), produced))) {
      stopped_ = true;
      return {};
    }
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      if (z.avail_in == 0) return {};
      continue;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      in_member_ = true;
      if (z.avail_in == 0 && z.avail_out != 0) return {};  // all input used, no output pending
      if (rc == Z_BUF_ERROR && produced == 0) return {};   // no progress possible
      continue;
    }
    std::string why = z.msg != nullptr ? z.msg : (rc == Z_MEM_ERROR ? "out of memory" : "error");
    return Fail("gzip: the response body is corrupt at byte " + std::to_string(encoded_bytes_) +
                " (" + why + ")");
  }
}

Result<void> ContentDecoder::Finish() {
  if (stopped_) return {};
  if (!error_.empty()) return Error::Transport(error_);
  if (in_member_) {
    return Fail("gzip: the response body ended inside the compressed data after " +
                std::to_string(encoded_bytes_) + " bytes (unexpected EOF)");
  }
  return {};
}

Result<std::string> DecodeContent(std::string_view content_encoding, std::string_view body) {
  std::string decoded;
  auto decoder = ContentDecoder::Create(content_encoding, [&decoded](std::string_view chunk) {
    decoded.append(chunk);
    return true;
  });
  if (!decoder) return std::move(decoder).error();
  MM_RETURN_IF_ERROR((*decoder)->Write(body));
  MM_RETURN_IF_ERROR((*decoder)->Finish());
  return decoded;
}

}  // namespace mm::kubeapi
