#include "kubeapi/body_sink.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace mm::kubeapi {
namespace {

constexpr uint64_t kMaxReserve = uint64_t{256} << 20;

// Sizes the body buffer from Content-Length, so a large list is received into one allocation
// instead of a doubling string that copies it about twice. A compressed body's length is a lower
// bound: the string still grows past it.
void ReserveBody(HttpResponse& response) {
  std::string length_text = response.Header("content-length");
  uint64_t length = 0;
  const char* end = length_text.data() + length_text.size();
  auto [at, error] = std::from_chars(length_text.data(), end, length);
  if (length_text.empty() || error != std::errc() || at != end) return;
  response.body.reserve(static_cast<size_t>(std::min(length, kMaxReserve)));
}

}  // namespace

Result<void> BodySink::Start() {
  streams_ = request_.on_body && response_.status >= 200 && response_.status < 300;
  std::string encoding = response_.Header("content-encoding");
  if (offered_gzip_ && !encoding.empty() && encoding != "identity") {
    Result<std::unique_ptr<ContentDecoder>> decoder = ContentDecoder::Create(
        encoding, [this](std::string_view decoded) { return Deliver(decoded); });
    if (!decoder) return std::move(decoder).error();
    decoder_ = std::move(*decoder);
  }
  if (!streams_) ReserveBody(response_);
  return {};
}

bool BodySink::Deliver(std::string_view decoded) {
  if (!streams_) {
    response_.body.append(decoded);
    return true;
  }
  if (!request_.on_body(decoded)) stopped_by_consumer_ = true;
  return !stopped_by_consumer_;
}

bool BodySink::Put(std::string_view raw) {
  if (stopped_by_consumer_ || !error_.empty()) return false;
  if (!decoder_) return Deliver(raw);
  Result<void> written = decoder_->Write(raw);
  if (!written) error_ = written.error().message();
  return written && !stopped_by_consumer_;
}

Result<void> BodySink::Finish() {
  if (decoder_ && !stopped_by_consumer_) return decoder_->Finish();
  return {};
}

}  // namespace mm::kubeapi
