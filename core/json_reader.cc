#include "core/json_reader.h"

#include <limits>

#include "core/json.h"

namespace mm {

JsonReader::JsonReader(const rapidjson::Value* object, std::string_view path,
                       std::vector<std::string>* problems)
    : object_(object), parent_(nullptr), key_(path), index_(kNoIndex), problems_(problems) {}

JsonReader::JsonReader(const rapidjson::Value* object, const JsonReader* parent,
                       std::string_view key, int64_t index)
    : object_(object), parent_(parent), key_(key), index_(index), problems_(parent->problems_) {}

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

// Appends the path of this reader to `out`, which holds nothing yet or only its parents' path.
void JsonReader::AppendPath(std::string& out) const {
  if (parent_ == nullptr) {
    out.append(key_);
    return;
  }
  parent_->AppendPath(out);
  if (!out.empty()) out.push_back('.');
  out.append(key_);
  if (index_ != kNoIndex) out.append("[").append(std::to_string(index_)).append("]");
}

std::string JsonReader::path() const {
  std::string path;
  AppendPath(path);
  return path;
}

void JsonReader::Problem(std::string_view key, std::string_view problem) const {
  std::string message = path();
  if (!message.empty()) message.push_back('.');
  message.append(key).append(": ").append(problem);
  problems_->push_back(std::move(message));
}

void JsonReader::TypeProblem(std::string_view key, const char* expected,
                             const rapidjson::Value& got) const {
  Problem(key, std::string("expected ") + expected + ", got " + JsonTypeName(got));
}

const rapidjson::Value* JsonReader::FindString(std::string_view key) const {
  const rapidjson::Value* value = Find(key);
  if (value == nullptr || value->IsString()) return value;
  TypeProblem(key, "string", *value);
  return nullptr;
}

std::optional<std::string> JsonReader::OptionalString(std::string_view key) const {
  const rapidjson::Value* value = FindString(key);
  if (value == nullptr) return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

std::string_view JsonReader::StringView(std::string_view key) const {
  const rapidjson::Value* value = FindString(key);
  if (value == nullptr) return {};
  return {value->GetString(), value->GetStringLength()};
}

std::string JsonReader::String(std::string_view key) const { return std::string(StringView(key)); }

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
  return JsonReader(AnyObject(key), this, key, kNoIndex);
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
  readers.reserve(array->Size());
  for (rapidjson::SizeType i = 0; i < array->Size(); ++i) {
    const rapidjson::Value& item = (*array)[i];
    JsonReader reader(item.IsObject() ? &item : nullptr, this, key, i);
    if (!item.IsObject()) {
      problems_->push_back(reader.path() + ": expected object, got " + JsonTypeName(item));
      continue;
    }
    readers.push_back(reader);
  }
  return readers;
}

}  // namespace mm
