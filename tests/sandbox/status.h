#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sandbox {

// Builders for the metav1.Status failures kube-apiserver answers, with its exact message texts.
// `resource` is the plural resource name, `group` its API group ("" for core).

// `pods "web" not found` / `deployments.apps "web" not found`.
mm::ApiStatus NotFound(std::string_view resource, std::string_view group, std::string_view name);
// `the server could not find the requested resource` (unknown path or resource).
mm::ApiStatus UnknownResource();
mm::ApiStatus AlreadyExists(std::string_view resource, std::string_view group,
                            std::string_view name);
// `Operation cannot be fulfilled on <resource> "<name>": <detail>`.
mm::ApiStatus Conflict(std::string_view resource, std::string_view group, std::string_view name,
                       std::string_view detail);
// The stale-resourceVersion conflict of update and patch.
mm::ApiStatus StaleConflict(std::string_view resource, std::string_view group,
                            std::string_view name);
// `<Kind>[.<group>] "<name>" is invalid: <causes>`; each cause's field and message.
mm::ApiStatus Invalid(std::string_view kind, std::string_view group, std::string_view name,
                      std::vector<mm::StatusCause> causes);
mm::ApiStatus BadRequest(std::string message);
mm::ApiStatus Forbidden(std::string message);
mm::ApiStatus Unauthorized();
mm::ApiStatus MethodNotAllowed();
mm::ApiStatus NotAcceptable();
mm::ApiStatus UnsupportedMediaType(std::string_view accepted);
mm::ApiStatus Expired(std::string message);
mm::ApiStatus TooLarge(size_t limit);
mm::ApiStatus Internal(std::string message);
// API Priority and Fairness's rejection, `Too many requests, please try again later.`, with
// details.retryAfterSeconds (and so a Retry-After header) when `retry_after_seconds` > 0.
mm::ApiStatus TooManyRequests(int retry_after_seconds);
mm::ApiStatus ServiceUnavailable(std::string message);

// A field error as a cause: `reason` is e.g. FieldValueInvalid, `message` the text after the
// field (e.g. `Invalid value: "x": must be ...`).
mm::StatusCause Cause(std::string reason, std::string field, std::string message);
// `Invalid value: <value>: <detail>` with the value printed the way Go's field errors print it.
std::string InvalidValue(std::string_view quoted_value, std::string_view detail);
std::string Quote(std::string_view s);

// The JSON body of `status` (kind Status, status Failure).
std::string StatusJson(const mm::ApiStatus& status);
// A `status: Success` Status body, as DELETE of a collection-less object may answer.
std::string SuccessStatusJson(std::string_view name, std::string_view group, std::string_view kind,
                              std::string_view uid);

}  // namespace sandbox
