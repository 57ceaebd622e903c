#pragma once

#include <string>

#include "tests/sandbox/http_types.h"

namespace sandbox {

// A request as the TLS server would hand it to ApiServer::Handle: `target` is path?query, the
// body is JSON, and `token` (when not empty) is sent as a bearer token.
inline Request TestRequest(const std::string& method, const std::string& target,
                           const std::string& body, const std::string& token) {
  Request r;
  r.method = method;
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = ParseQuery(std::string_view(target).substr(q + 1));
  r.body = body;
  r.content_type = "application/json";
  if (!token.empty()) r.authorization = "Bearer " + token;
  r.user_agent = "test/1.0";
  return r;
}

}  // namespace sandbox
