#include "core/json_reader.h"

#include <limits>

#include "core/json.h"

namespace mm {

JsonReader::JsonReader(const rapidjson::Value* object, std::string path,
                       std::vector<std::string>* problems)
    : object_(object), path_(std::move(path)), problems_(problems) {}

const char* JsonTypeName(const rapidjson::Value& value) {
  if (value.IsString()) return "string";
  if (value.IsInt64() || value.IsUint64()) return "integer";
  if (value.IsNumber()) return "number";
  if (value.IsBool()) return "boolean";
  if (value.IsObject()) return "object";
  if (value.IsArray()) return "array";
  return "null";
}

const rapidjson::Value* JsonReader::Find(std::string_view key) const {
  if (object_ == nullptr) return nullptr;
  const rapidjson::Value* value = FindMember(*object_, key);
  return value == nullptr || value->IsNull() ? nullptr : value;
}

std::string JsonReader::FieldPath(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  std::string path;  // built in place: one allocation at most, no temporaries
  path.reserve(path_.size() + 1 + key.size());
  path.append(path_).append(1, '.').append(key);
  return path;
}

void JsonReader::Problem(std::string_view key, std::string_view problem) const {
  problems_->push_back(FieldPath(key) + ": " + std::string(problem));
}

void JsonReader::TypeProblem(std::string_view key, const char* expected,
                             const rapidjson::Value& got) const {
  Problem(key, std::string("expected ") + expected + ", got " + JsonTypeName(got));
}

std::optional<std::string> JsonReader::OptionalString(std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->IsString()) {
    TypeProblem(key, "string", *value);
    return std::nullopt;
  }
  return std::string(value->GetString(), value->GetStringLength());
}

std::string JsonReader::String(std::string_view key) const {
  return OptionalString(key).value_or("");
}

std::optional<bool> JsonReader::OptionalBool(std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->IsBool()) {
    TypeProblem(key, "boolean", *value);
    return std::nullopt;
  }
  return value->GetBool();
}

bool JsonReader::Bool(std::string_view key) const { return OptionalBool(key).value_or(false); }

std::optional<int64_t> JsonReader::Int64(std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->IsInt64()) {
    TypeProblem(key, "integer", *value);
    return std::nullopt;
  }
  return value->GetInt64();
}

std::optional<int32_t> JsonReader::Int32(std::string_view key) const {
  std::optional<int64_t> value = Int64(key);
  if (!value) return std::nullopt;
  if (*value < std::numeric_limits<int32_t>::min() ||
      *value > std::numeric_limits<int32_t>::max()) {
    Problem(key, "value " + std::to_string(*value) + " does not fit in int32");
    return std::nullopt;
  }
  return static_cast<int32_t>(*value);
}

std::optional<std::map<std::string, std::string>> JsonReader::StringMap(
    std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->IsObject()) {
    TypeProblem(key, "object", *value);
    return std::nullopt;
  }
  std::map<std::string, std::string> map;
  for (const auto& member : value->GetObject()) {
    std::string name(member.name.GetString(), member.name.GetStringLength());
    if (!member.value.IsString()) {
      TypeProblem(std::string(key) + "." + name, "string", member.value);
      continue;
    }
    map.emplace(std::move(name),
                std::string(member.value.GetString(), member.value.GetStringLength()));
  }
  return map;
}

std::optional<std::vector<std::string>> JsonReader::StringList(std::string_view key) const {
  const rapidjson::Value* value = Array(key);
  if (value == nullptr) return std::nullopt;
  std::vector<std::string> list;
  for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
    const rapidjson::Value& item = (*value)[i];
    if (!item.IsString()) {
      TypeProblem(std::string(key) + "[" + std::to_string(i) + "]", "string", item);
      continue;
    }
    list.emplace_back(item.GetString(), item.GetStringLength());
  }
  return list;
}

JsonReader JsonReader::Object(std::string_view key) const {
  return JsonReader(AnyObject(key), FieldPath(key), problems_);
}

const rapidjson::Value* JsonReader::Array(std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value != nullptr && !value->IsArray()) {
    TypeProblem(key, "array", *value);
    return nullptr;
  }
  return value;
}

const rapidjson::Value* JsonReader::AnyObject(std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value != nullptr && !value->IsObject()) {
    TypeProblem(key, "object", *value);
    return nullptr;
  }
  return value;
}

std::vector<JsonReader> JsonReader::Objects(std::string_view key) const {
  std::vector<JsonReader> readers;
  const rapidjson::Value* array = Array(key);
  if (array == nullptr) return readers;
  for (rapidjson::SizeType i = 0; i < array->Size(); ++i) {
    std::string item_path = FieldPath(key) + "[" + std::to_string(i) + "]";
    const rapidjson::Value& item = (*array)[i];
    if (!item.IsObject()) {
      problems_->push_back(item_path + ": expected object, got " + JsonTypeName(item));
      continue;
    }
    readers.emplace_back(&item, std::move(item_path), problems_);
  }
  return readers;
}

}  // namespace mm
