#include "core/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mm {

size_t FindExcessiveNesting(std::string_view text, int max_depth, bool skip_json_strings) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"' && skip_json_strings) {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

Result<rapidjson::Document> ParseJson(std::string_view text, std::string_view what) {
  // Every consumer of parsed JSON (printers, diffs, the YAML emitter) recurses over the value, so
  // hostile nesting is refused here, and the parser itself runs iteratively.
  if (size_t offset = FindExcessiveNesting(text, kMaxJsonDepth, true);
      offset != std::string_view::npos) {
    return Error::Invalid(std::string(what) + ": invalid JSON at offset " + std::to_string(offset) +
                          ": nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  rapidjson::Document document;
  document.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag>(text.data(),
                                                                                      text.size());
  if (document.HasParseError()) {
    return Error::Invalid(std::string(what) + ": invalid JSON at offset " +
                          std::to_string(document.GetErrorOffset()) + ": " +
                          rapidjson::GetParseError_En(document.GetParseError()));
  }
  return document;
}

std::string ToJson(const rapidjson::Value& value, JsonStyle style) {
  rapidjson::StringBuffer buffer;
  if (style == JsonStyle::kPretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 4);
    value.Accept(writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
  }
  return {buffer.GetString(), buffer.GetSize()};
}

const rapidjson::Value* FindMember(const rapidjson::Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

const rapidjson::Value* FindPath(const rapidjson::Value& object,
                                 std::initializer_list<std::string_view> path) {
  const rapidjson::Value* node = &object;
  for (std::string_view name : path) {
    node = FindMember(*node, name);
    if (node == nullptr) return nullptr;
  }
  return node;
}

int64_t GetInt64At(const rapidjson::Value& object, std::initializer_list<std::string_view> path,
                   int64_t fallback) {
  const rapidjson::Value* value = FindPath(object, path);
  return value != nullptr && value->IsInt64() ? value->GetInt64() : fallback;
}

std::string GetString(const rapidjson::Value& object, std::string_view name,
                      std::string_view fallback) {
  const rapidjson::Value* member = FindMember(object, name);
  if (member == nullptr || !member->IsString()) return std::string(fallback);
  return {member->GetString(), member->GetStringLength()};
}

}  // namespace mm
