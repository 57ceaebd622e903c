#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "kubeapi/content_decoder.h"
#include "kubeapi/http.h"

namespace mm::kubeapi {

// Where the body of one response goes, for both HTTP versions: decoded from gzip when the server
// used it and the client offered it, then handed to the request's on_body for a 2xx answer (which
// may stop the transfer), or collected into the response's body, sized from Content-Length up
// front. Not thread-safe; borrows the request and the response.
class BodySink {
 public:
  BodySink(const HttpRequest& request, HttpResponse& response, bool offered_gzip)
      : request_(request), response_(response), offered_gzip_(offered_gzip) {}

  // Call once the response's status and headers are set, before any Put. Fails for a
  // Content-Encoding this client cannot decode.
  Result<void> Start();
  // Takes the next raw body bytes. Returns false when the transfer should stop: the consumer
  // returned false (stopped_by_consumer()) or the bytes could not be decoded (error()).
  bool Put(std::string_view raw);
  // Ends the body; fails when a gzip body was cut short.
  Result<void> Finish();

  bool streams() const { return streams_; }
  bool stopped_by_consumer() const { return stopped_by_consumer_; }
  // Why Put returned false for bad content, or "".
  const std::string& error() const { return error_; }

 private:
  bool Deliver(std::string_view decoded);

  const HttpRequest& request_;
  HttpResponse& response_;
  bool offered_gzip_;
  bool streams_ = false;
  bool stopped_by_consumer_ = false;
  std::string error_;
  std::unique_ptr<ContentDecoder> decoder_;
};

}  // namespace mm::kubeapi
