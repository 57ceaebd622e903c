#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"
#include "tests/core/golden.h"

namespace mm::testing {

// Returns the Mattermost `foo` in namespace `default` (uid `uid-1`) with `spec_yaml` (block YAML
// indented by two spaces, or "" for no spec) as its spec, parsed but not defaulted.
inline Mattermost MattermostWithSpec(const std::string& spec_yaml) {
  std::string text =
      "apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
      "metadata:\n  name: foo\n  namespace: default\n  uid: uid-1\n";
  if (!spec_yaml.empty()) text += "spec:\n" + spec_yaml;
  auto mattermost = ParseMattermost(Yaml(text));
  EXPECT_TRUE(mattermost.ok()) << (mattermost.ok() ? "" : mattermost.error().message());
  return mattermost.ok() ? std::move(*mattermost) : Mattermost{};
}

// Like MattermostWithSpec, then defaulted as the operator does.
inline Mattermost DefaultedWithSpec(const std::string& spec_yaml) {
  auto defaulted = DefaultedMattermost(MattermostWithSpec(spec_yaml));
  EXPECT_TRUE(defaulted.ok()) << (defaulted.ok() ? "" : defaulted.error().message());
  return defaulted.ok() ? std::move(*defaulted) : Mattermost{};
}

// The JSON at `pointer` (RFC 6901, e.g. "/spec/replicas", `~1` for a `/` in a key) of `value`,
// compact; "<absent>" when missing.
inline std::string At(const rapidjson::Value& value, const std::string& pointer) {
  const rapidjson::Value* node = &value;
  size_t start = 1;
  while (start <= pointer.size()) {
    size_t end = pointer.find('/', start);
    if (end == std::string::npos) end = pointer.size();
    std::string key = pointer.substr(start, end - start);
    for (size_t i = 0; (i = key.find('~', i)) != std::string::npos; ++i) {
      key.replace(i, 2, key.compare(i, 2, "~1") == 0 ? "/" : "~");
    }
    if (node->IsArray()) {
      size_t index = std::stoul(key);
      if (index >= node->Size()) return "<absent>";
      node = &(*node)[static_cast<rapidjson::SizeType>(index)];
    } else {
      node = FindMember(*node, key);
      if (node == nullptr) return "<absent>";
    }
    start = end + 1;
  }
  return ToJson(*node);
}

// "Kind/name " of every object, in order.
inline std::string ObjectNames(const std::vector<rapidjson::Document>& objects) {
  std::string text;
  for (const rapidjson::Document& object : objects) {
    text += GetString(object, "kind") + "/" + GetString(object["metadata"], "name") + " ";
  }
  return text;
}

// Expects, for each (where, json), the JSON at `where` = "<object index><pointer>" (e.g.
// "3/spec/type") of `objects` to be `json`; `what` names the case.
inline void ExpectAtEach(const std::vector<rapidjson::Document>& objects,
                         const std::vector<std::pair<std::string, std::string>>& expected,
                         const std::string& what) {
  for (const auto& [where, json] : expected) {
    size_t slash = where.find('/');
    size_t index = std::stoul(where.substr(0, slash));
    ASSERT_LT(index, objects.size()) << what << " " << where;
    EXPECT_EQ(At(objects[index], where.substr(slash)), json) << what << " " << where;
  }
}

}  // namespace mm::testing
