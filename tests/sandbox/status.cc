#include "tests/sandbox/status.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace sandbox {
namespace {

std::string Qualified(std::string_view resource, std::string_view group) {
  std::string out(resource);
  if (!group.empty()) out.append(".").append(group);
  return out;
}

mm::ApiStatus Make(int code, std::string reason, std::string message) {
  mm::ApiStatus status;
  status.code = code;
  status.reason = std::move(reason);
  status.message = std::move(message);
  return status;
}

}  // namespace

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

mm::ApiStatus NotFound(std::string_view resource, std::string_view group, std::string_view name) {
  mm::ApiStatus status =
      Make(404, "NotFound", Qualified(resource, group) + " " + Quote(name) + " not found");
  status.name = name;
  status.group = group;
  status.kind = resource;
  return status;
}

mm::ApiStatus UnknownResource() {
  return Make(404, "NotFound", "the server could not find the requested resource");
}

mm::ApiStatus AlreadyExists(std::string_view resource, std::string_view group,
                            std::string_view name) {
  mm::ApiStatus status = Make(409, "AlreadyExists",
                              Qualified(resource, group) + " " + Quote(name) + " already exists");
  status.name = name;
  status.group = group;
  status.kind = resource;
  return status;
}

mm::ApiStatus Conflict(std::string_view resource, std::string_view group, std::string_view name,
                       std::string_view detail) {
  mm::ApiStatus status = Make(409, "Conflict",
                              "Operation cannot be fulfilled on " + Qualified(resource, group) +
                                  " " + Quote(name) + ": " + std::string(detail));
  status.name = name;
  status.group = group;
  status.kind = resource;
  return status;
}

mm::ApiStatus StaleConflict(std::string_view resource, std::string_view group,
                            std::string_view name) {
  return Conflict(resource, group, name,
                  "the object has been modified; please apply your changes to the latest version "
                  "and try again");
}

mm::ApiStatus Invalid(std::string_view kind, std::string_view group, std::string_view name,
                      std::vector<mm::StatusCause> causes) {
  std::string list;
  for (const auto& cause : causes) {
    if (!list.empty()) list += ", ";
    list += cause.field.empty() ? cause.message : cause.field + ": " + cause.message;
  }
  if (causes.size() > 1) list = "[" + list + "]";
  mm::ApiStatus status =
      Make(422, "Invalid", Qualified(kind, group) + " " + Quote(name) + " is invalid: " + list);
  status.name = name;
  status.group = group;
  status.kind = kind;
  status.causes = std::move(causes);
  return status;
}

mm::ApiStatus BadRequest(std::string message) {
  return Make(400, "BadRequest", std::move(message));
}
mm::ApiStatus Forbidden(std::string message) { return Make(403, "Forbidden", std::move(message)); }
mm::ApiStatus Unauthorized() { return Make(401, "Unauthorized", "Unauthorized"); }
mm::ApiStatus MethodNotAllowed() {
  return Make(405, "MethodNotAllowed",
              "the server does not allow this method on the requested resource");
}
mm::ApiStatus NotAcceptable() {
  return Make(406, "NotAcceptable",
              "only the following media types are accepted: application/json, application/yaml, "
              "application/json;as=Table;v=v1;g=meta.k8s.io");
}
mm::ApiStatus UnsupportedMediaType(std::string_view accepted) {
  return Make(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: " +
                  std::string(accepted));
}
mm::ApiStatus Expired(std::string message) { return Make(410, "Expired", std::move(message)); }
mm::ApiStatus TooLarge(size_t limit) {
  return Make(413, "RequestEntityTooLarge",
              "Request entity too large: limit is " + std::to_string(limit));
}
mm::ApiStatus Internal(std::string message) {
  return Make(500, "InternalError", "Internal error occurred: " + std::move(message));
}
mm::ApiStatus TooManyRequests(int retry_after_seconds) {
  mm::ApiStatus status = Make(429, "TooManyRequests", "Too many requests, please try again later.");
  status.retry_after_seconds = retry_after_seconds;
  return status;
}
mm::ApiStatus ServiceUnavailable(std::string message) {
  return Make(503, "ServiceUnavailable", std::move(message));
}

mm::StatusCause Cause(std::string reason, std::string field, std::string message) {
  return {.reason = std::move(reason), .message = std::move(message), .field = std::move(field)};
}

std::string InvalidValue(std::string_view quoted_value, std::string_view detail) {
  return "Invalid value: " + std::string(quoted_value) + ": " + std::string(detail);
}

std::string StatusJson(const mm::ApiStatus& status) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("kind");
  w.String("Status");
  w.Key("apiVersion");
  w.String("v1");
  w.Key("metadata");
  w.StartObject();
  w.EndObject();
  w.Key("status");
  w.String("Failure");
  w.Key("message");
  w.String(status.message.c_str(), status.message.size());
  if (!status.reason.empty()) {
    w.Key("reason");
    w.String(status.reason.c_str(), status.reason.size());
  }
  bool details = !status.name.empty() || !status.kind.empty() || !status.causes.empty() ||
                 status.retry_after_seconds > 0 || !status.group.empty();
  if (details) {
    w.Key("details");
    w.StartObject();
    auto field = [&](const char* key, const std::string& value) {
      if (value.empty()) return;
      w.Key(key);
      w.String(value.c_str(), value.size());
    };
    field("name", status.name);
    field("group", status.group);
    field("kind", status.kind);
    if (!status.causes.empty()) {
      w.Key("causes");
      w.StartArray();
      for (const auto& cause : status.causes) {
        w.StartObject();
        field("reason", cause.reason);
        field("message", cause.message);
        field("field", cause.field);
        w.EndObject();
      }
      w.EndArray();
    }
    if (status.retry_after_seconds > 0) {
      w.Key("retryAfterSeconds");
      w.Int(status.retry_after_seconds);
    }
    w.EndObject();
  }
  w.Key("code");
  w.Int(status.code);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string SuccessStatusJson(std::string_view name, std::string_view group, std::string_view kind,
                              std::string_view uid) {
  std::string out = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success",)";
  out += R"("details":{"name":)" + Quote(name);
  if (!group.empty()) out += R"(,"group":)" + Quote(group);
  out += R"(,"kind":)" + Quote(kind) + R"(,"uid":)" + Quote(uid) + "}}";
  return out;
}

}  // namespace sandbox
