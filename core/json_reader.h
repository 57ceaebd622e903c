#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// Reads typed fields out of a JSON object while recording every type problem with its path
// (`spec.replicas: expected integer, got string`), so that one pass reports all mistakes. A
// missing or null field reads as absent. Problems are appended to a list owned by the caller.
class JsonReader {
 public:
  // Reads `object` (may be nullptr = absent) found at `path`.
  JsonReader(const rapidjson::Value* object, std::string path, std::vector<std::string>* problems);

  bool present() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }

  std::string String(std::string_view key) const;  // "" when absent
  std::optional<std::string> OptionalString(std::string_view key) const;
  bool Bool(std::string_view key) const;  // false when absent
  std::optional<bool> OptionalBool(std::string_view key) const;
  std::optional<int32_t> Int32(std::string_view key) const;
  std::optional<int64_t> Int64(std::string_view key) const;
  std::optional<std::map<std::string, std::string>> StringMap(std::string_view key) const;
  std::optional<std::vector<std::string>> StringList(std::string_view key) const;
  // A nested object (absent reader when missing; a problem when not an object).
  JsonReader Object(std::string_view key) const;
  // A member that must be an array or an object, unchecked inside (embedded Kubernetes types).
  const rapidjson::Value* Array(std::string_view key) const;
  const rapidjson::Value* AnyObject(std::string_view key) const;
  // The objects of an array of objects, with their paths `key[i]`.
  std::vector<JsonReader> Objects(std::string_view key) const;

  // Records `problem` for the field `key` ("<path>.<key>: <problem>").
  void Problem(std::string_view key, std::string_view problem) const;

 private:
  const rapidjson::Value* Find(std::string_view key) const;
  std::string FieldPath(std::string_view key) const;
  void TypeProblem(std::string_view key, const char* expected, const rapidjson::Value& got) const;

  const rapidjson::Value* object_;
  std::string path_;
  std::vector<std::string>* problems_;
};

// The JSON type name of `value` as Kubernetes messages spell it: string, integer, number,
// boolean, object, array, null.
const char* JsonTypeName(const rapidjson::Value& value);

}  // namespace mm
