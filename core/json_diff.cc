#include "core/json_diff.h"

#include "core/json.h"

namespace mm {
namespace {

// Returns the first difference as {path suffix, message}; the path is built only on the way back
// up from a difference, so equal documents cost no string work.
struct Difference {
  std::string path;
  std::string message;
};

std::optional<Difference> Compare(const rapidjson::Value& expected, const rapidjson::Value& actual,
                                  bool subset) {
  if (expected.IsObject() && actual.IsObject()) {
    for (const auto& member : expected.GetObject()) {
      auto other = actual.FindMember(member.name);
      std::string_view key(member.name.GetString(), member.name.GetStringLength());
      if (other == actual.MemberEnd()) {
        return Difference{"." + std::string(key),
                          "expected " + ToJson(member.value) + ", got <absent>"};
      }
      if (auto difference = Compare(member.value, other->value, subset)) {
        difference->path.insert(0, "." + std::string(key));
        return difference;
      }
    }
    if (subset || expected.MemberCount() == actual.MemberCount()) return std::nullopt;
    for (const auto& member : actual.GetObject()) {
      if (expected.FindMember(member.name) == expected.MemberEnd()) {
        return Difference{"." + std::string(member.name.GetString()),
                          "expected <absent>, got " + ToJson(member.value)};
      }
    }
    return std::nullopt;
  }
  if (expected.IsArray() && actual.IsArray()) {
    if (expected.Size() != actual.Size()) {
      return Difference{"", "expected " + std::to_string(expected.Size()) + " items, got " +
                                std::to_string(actual.Size()) + ": " + ToJson(actual)};
    }
    for (rapidjson::SizeType i = 0; i < expected.Size(); ++i) {
      if (auto difference = Compare(expected[i], actual[i], subset)) {
        difference->path.insert(0, "[" + std::to_string(i) + "]");
        return difference;
      }
    }
    return std::nullopt;
  }
  if (expected == actual) return std::nullopt;
  return Difference{"", "expected " + ToJson(expected) + ", got " + ToJson(actual)};
}

std::optional<std::string> Describe(std::optional<Difference> difference) {
  if (!difference) return std::nullopt;
  return (difference->path.empty() ? "." : difference->path) + ": " + difference->message;
}

}  // namespace

std::optional<std::string> FirstDifference(const rapidjson::Value& expected,
                                           const rapidjson::Value& actual) {
  return Describe(Compare(expected, actual, false));
}

std::optional<std::string> FirstMissingOrDifferent(const rapidjson::Value& desired,
                                                   const rapidjson::Value& live) {
  return Describe(Compare(desired, live, true));
}

}  // namespace mm
