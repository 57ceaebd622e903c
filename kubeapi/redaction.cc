#include "kubeapi/redaction.h"

#include <algorithm>
#include <cctype>

#include "core/json.h"

namespace mm::kubeapi {
namespace {

constexpr char kRedacted[] = "<redacted>";

void RedactMembers(rapidjson::Value& object, const char* field,
                   rapidjson::Document::AllocatorType& allocator) {
  auto member = object.FindMember(field);
  if (member == object.MemberEnd() || !member->value.IsObject()) return;
  for (auto& entry : member->value.GetObject()) entry.value.SetString(kRedacted, allocator);
}

void RedactObject(rapidjson::Value& object, rapidjson::Document::AllocatorType& allocator) {
  if (!object.IsObject()) return;
  std::string kind = GetString(object, "kind");
  if (kind == "Secret") {
    RedactMembers(object, "data", allocator);
    RedactMembers(object, "stringData", allocator);
  } else if (kind == "TokenRequest") {
    auto status = object.FindMember("status");
    if (status != object.MemberEnd() && status->value.IsObject()) {
      auto token = status->value.FindMember("token");
      if (token != status->value.MemberEnd()) token->value.SetString(kRedacted, allocator);
    }
  }
  for (const char* nested : {"items", "object"}) {
    auto member = object.FindMember(nested);
    if (member == object.MemberEnd()) continue;
    if (member->value.IsArray()) {
      for (auto& item : member->value.GetArray()) RedactObject(item, allocator);
    } else {
      RedactObject(member->value, allocator);
    }
  }
}

}  // namespace

std::string RedactHeader(std::string_view name, std::string_view value) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != "authorization" && lower != "proxy-authorization") return std::string(value);
  size_t space = value.find(' ');
  if (space == std::string_view::npos) return "<masked>";
  return std::string(value.substr(0, space)) + " <masked>";
}

std::string RedactBody(std::string_view body) {
  Result<rapidjson::Document> document = ParseJson(body);
  if (!document) {
    bool mentions_secret = body.find("Secret") != std::string_view::npos;
    return mentions_secret ? "<body withheld: not JSON and mentions a Secret>" : std::string(body);
  }
  RedactObject(*document, document->GetAllocator());
  return ToJson(*document);
}

}  // namespace mm::kubeapi
