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
//
// A reader knows its path as a chain (its parent reader and its key), and spells it out only
// when it reports a problem: reading a valid resource builds no path at all. So a nested reader
// (from Object or Objects) refers to the reader that made it and to its key: use it only while
// that parent lives and the key's characters stay valid (string literals, or the document's
// own strings, as every caller passes).
class JsonReader {
 public:
  // Reads `object` (may be nullptr = absent) found at `path` ("" for a document's root). The
  // characters of `path` and the list `problems` must outlive the reader and its children.
  JsonReader(const rapidjson::Value* object, std::string_view path,
             std::vector<std::string>* problems);

  bool present() const { return object_ != nullptr; }
  // This reader's path, spelled out: "spec.ingress.hosts[0]".
  std::string path() const;

  std::string String(std::string_view key) const;  // "" when absent
  std::optional<std::string> OptionalString(std::string_view key) const;
  // Like String, as a view of the document's characters (valid as long as the document).
  std::string_view StringView(std::string_view key) const;
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
  static constexpr int64_t kNoIndex = -1;

  // A child reader: the object at `parent`'s `key`, or at `key[index]` when index >= 0.
  JsonReader(const rapidjson::Value* object, const JsonReader* parent, std::string_view key,
             int64_t index);

  const rapidjson::Value* Find(std::string_view key) const;
  // The value of `key` when it is a string; nullptr when absent, a problem when not a string.
  const rapidjson::Value* FindString(std::string_view key) const;
  void AppendPath(std::string& out) const;
  void TypeProblem(std::string_view key, const char* expected, const rapidjson::Value& got) const;

  const rapidjson::Value* object_;
  const JsonReader* parent_;  // nullptr for a root reader
  std::string_view key_;      // a root reader's whole path, else the key in the parent
  int64_t index_;             // the item's index in the array at key_, or kNoIndex
  std::vector<std::string>* problems_;
};

// The JSON type name of `value` as Kubernetes messages spell it: string, integer, number,
// boolean, object, array, null.
const char* JsonTypeName(const rapidjson::Value& value);

}  // namespace mm
