#include "core/error.h"

namespace mm {

Error Error::Api(ApiStatus status) {
  Error error(ErrorKind::kApi, status.message);
  error.status_ = std::move(status);
  return error;
}

Error Error::Wrap(const std::string& context) const {
  Error wrapped = *this;
  wrapped.message_ = context + ": " + message_;
  return wrapped;
}

namespace {

bool HasReason(const Error& error, const char* reason, int code) {
  if (!error.status()) return false;
  return error.status()->reason == reason ||
         (error.status()->reason.empty() && error.status()->code == code);
}

}  // namespace

bool IsNotFound(const Error& error) { return HasReason(error, "NotFound", 404); }
bool IsAlreadyExists(const Error& error) { return HasReason(error, "AlreadyExists", -1); }
bool IsConflict(const Error& error) { return HasReason(error, "Conflict", 409); }
bool IsGone(const Error& error) {
  return HasReason(error, "Expired", 410) || HasReason(error, "Gone", 410);
}
bool IsForbidden(const Error& error) { return HasReason(error, "Forbidden", 403); }
bool IsUnauthorized(const Error& error) { return HasReason(error, "Unauthorized", 401); }
bool IsTooManyRequests(const Error& error) { return HasReason(error, "TooManyRequests", 429); }
bool IsInvalid(const Error& error) { return HasReason(error, "Invalid", 422); }

}  // namespace mm
