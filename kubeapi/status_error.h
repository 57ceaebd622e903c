#pragma once

#include <string>

#include "core/error.h"
#include "kubeapi/http.h"

namespace mm::kubeapi {

// Returns the error for a non-2xx `response` to a `method` request: the server's Status (code,
// reason, message, details, causes, retryAfterSeconds) when the body is one, otherwise
// client-go's generic Status for the code ("the server could not find the requested resource",
// AlreadyExists for a 409 to a POST, ...). Always kApi.
Error ErrorFromResponse(const HttpResponse& response, const std::string& method);

// Returns the error for a response that never arrived: kInterrupted when cancelled, else
// kTransport with kubectl's text.
Error ErrorFromFailure(const HttpResponse& response);

// Parses a Status object; returns false when `json` is not a Status.
bool ParseStatus(const std::string& json, ApiStatus& out);

}  // namespace mm::kubeapi
