#pragma once

#include <ostream>

#include "kubeapi/clock.h"
#include "kubeapi/http.h"

namespace mm::kubeapi {

// Logs requests the way kubectl -v does, to a stream the caller passes (stderr in the CLI):
//   6: "GET https://host/api/v1/pods 200 OK in 12 milliseconds"
//   7: also the request headers (Authorization masked)
//   8: also request and response bodies, truncated to 1024 bytes (9: 10240; 10: whole)
// Secret data and tokens are redacted at every level. Streamed response bodies are not logged.
// Below 6 it only forwards. `next`, `out` and `clock` must outlive it; `out` is written from the
// calling thread only, under a lock.
class LoggingTransport : public Transport {
 public:
  LoggingTransport(Transport& next, int verbosity, std::ostream& out, Clock& clock)
      : next_(next), verbosity_(verbosity), out_(out), clock_(clock) {}
  HttpResponse RoundTrip(const HttpRequest& request) override;

 private:
  void LogBody(const char* label, std::string_view body);

  Transport& next_;
  int verbosity_;
  std::ostream& out_;
  Clock& clock_;
};

// Returns the reason phrase for an HTTP status ("OK", "Not Found"), "" when unknown.
std::string_view HttpReasonPhrase(int status);

}  // namespace mm::kubeapi
