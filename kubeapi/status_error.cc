#include "kubeapi/status_error.h"

#include "core/json.h"

namespace mm::kubeapi {
namespace {

struct GenericStatus {
  const char* reason;
  const char* message;
};

GenericStatus GenericFor(int code, const std::string& method) {
  switch (code) {
    case 400:
      return {"BadRequest", "the server rejected our request for an unknown reason"};
    case 401:
      return {"Unauthorized", "the server has asked for the client to provide credentials"};
    case 403:
      return {"Forbidden", "the server does not allow access to the requested resource"};
    case 404:
      return {"NotFound", "the server could not find the requested resource"};
    case 405:
      return {"MethodNotAllowed",
              "the server does not allow this method on the requested resource"};
    case 406:
      return {"NotAcceptable",
              "the server was unable to respond with a content type that the client supports"};
    case 409:
      return {method == "POST" ? "AlreadyExists" : "Conflict", "the server reported a conflict"};
    case 410:
      return {"Gone", "the server has asked for the client to try again later"};
    case 415:
      return {"UnsupportedMediaType",
              "the server was unable to respond with a content type that the client supports"};
    case 422:
      return {"Invalid", "the server rejected our request due to an error in our request"};
    case 429:
      return {"TooManyRequests",
              "the server has received too many requests and has asked us to try again later"};
    case 503:
      return {"ServiceUnavailable", "the server is currently unable to handle the request"};
    case 504:
      return {"Timeout",
              "the server was unable to return a response in the time allotted, but may still be "
              "processing the request"};
    default:
      return {code >= 500 ? "InternalError" : "", ""};
  }
}

}  // namespace

bool ParseStatus(const std::string& json, ApiStatus& out) {
  Result<rapidjson::Document> document = ParseJson(json);
  if (!document || GetString(*document, "kind") != "Status") return false;
  const rapidjson::Value& status = *document;
  const rapidjson::Value* code = FindMember(status, "code");
  out.code = code != nullptr && code->IsInt() ? code->GetInt() : 0;
  out.reason = GetString(status, "reason");
  out.message = GetString(status, "message");
  if (const rapidjson::Value* details = FindMember(status, "details"); details != nullptr) {
    out.group = GetString(*details, "group");
    out.kind = GetString(*details, "kind");
    out.name = GetString(*details, "name");
    const rapidjson::Value* retry = FindMember(*details, "retryAfterSeconds");
    if (retry != nullptr && retry->IsInt()) out.retry_after_seconds = retry->GetInt();
    const rapidjson::Value* causes = FindMember(*details, "causes");
    if (causes != nullptr && causes->IsArray()) {
      for (const rapidjson::Value& cause : causes->GetArray()) {
        out.causes.push_back(
            {GetString(cause, "reason"), GetString(cause, "message"), GetString(cause, "field")});
      }
    }
  }
  return true;
}

Error ErrorFromResponse(const HttpResponse& response, const std::string& method) {
  ApiStatus status;
  if (ParseStatus(response.body, status)) {
    if (status.code == 0) status.code = response.status;
    return Error::Api(std::move(status));
  }
  GenericStatus generic = GenericFor(response.status, method);
  status.code = response.status;
  status.reason = generic.reason;
  status.message = generic.message;
  if (status.message.empty()) {
    std::string body = response.body.substr(0, 256);
    status.message =
        response.status >= 500
            ? "an error on the server (\"" + body + "\") has prevented the request from succeeding"
            : "the server responded with the status code " + std::to_string(response.status) +
                  " but did not return more information";
  }
  return Error::Api(std::move(status));
}

Error ErrorFromFailure(const HttpResponse& response) {
  if (response.failure == NetworkFailure::kCancelled) {
    return Error::Interrupted(response.failure_message);
  }
  return Error::Transport(response.failure_message);
}

}  // namespace mm::kubeapi
