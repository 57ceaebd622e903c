#include "core/json_diff.h"

#include "core/json.h"

namespace mm {
namespace {

std::optional<std::string> Compare(const rapidjson::Value& expected, const rapidjson::Value& actual,
                                   const std::string& path, bool subset) {
  auto mismatch = [&]() -> std::optional<std::string> {
    return (path.empty() ? "." : path) + ": expected " + ToJson(expected) + ", got " +
           ToJson(actual);
  };
  if (expected.IsObject() && actual.IsObject()) {
    for (const auto& member : expected.GetObject()) {
      std::string key(member.name.GetString(), member.name.GetStringLength());
      const rapidjson::Value* other = FindMember(actual, key);
      if (other == nullptr) {
        return path + "." + key + ": expected " + ToJson(member.value) + ", got <absent>";
      }
      if (auto diff = Compare(member.value, *other, path + "." + key, subset)) return diff;
    }
    if (subset) return std::nullopt;
    for (const auto& member : actual.GetObject()) {
      std::string key(member.name.GetString(), member.name.GetStringLength());
      if (FindMember(expected, key) == nullptr) {
        return path + "." + key + ": expected <absent>, got " + ToJson(member.value);
      }
    }
    return std::nullopt;
  }
  if (expected.IsArray() && actual.IsArray()) {
    if (expected.Size() != actual.Size()) {
      return path + ": expected " + std::to_string(expected.Size()) + " items, got " +
             std::to_string(actual.Size()) + ": " + ToJson(actual);
    }
    for (rapidjson::SizeType i = 0; i < expected.Size(); ++i) {
      if (auto diff =
              Compare(expected[i], actual[i], path + "[" + std::to_string(i) + "]", subset)) {
        return diff;
      }
    }
    return std::nullopt;
  }
  if (expected == actual) return std::nullopt;
  return mismatch();
}

}  // namespace

std::optional<std::string> FirstDifference(const rapidjson::Value& expected,
                                           const rapidjson::Value& actual) {
  return Compare(expected, actual, "", false);
}

std::optional<std::string> FirstMissingOrDifferent(const rapidjson::Value& desired,
                                                   const rapidjson::Value& live) {
  return Compare(desired, live, "", true);
}

}  // namespace mm
