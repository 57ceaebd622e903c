#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/json_diff.h"
#include "core/yaml.h"

namespace mm::testing {

// Returns the text of tests/core/testdata/<relative>; fails the test when it cannot be read.
inline std::string ReadTestdata(const std::string& relative) {
  std::ifstream file(std::string(MM_CORE_TESTDATA_DIR) + "/" + relative);
  EXPECT_TRUE(file.good()) << "cannot read testdata " << relative;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Returns the YAML documents of tests/core/testdata/<relative>.
inline std::vector<rapidjson::Document> LoadTestdata(const std::string& relative) {
  auto documents = ParseYamlDocuments(ReadTestdata(relative), relative);
  EXPECT_TRUE(documents.ok()) << (documents.ok() ? "" : documents.error().message());
  if (!documents.ok()) return {};
  return std::move(*documents);
}

// Parses one YAML (or JSON) document written inline in a test.
inline rapidjson::Document Yaml(const std::string& text) {
  auto documents = ParseYamlDocuments(text, "test");
  EXPECT_TRUE(documents.ok() && documents->size() == 1)
      << (documents.ok() ? "expected one document" : documents.error().message());
  if (!documents.ok() || documents->empty()) return rapidjson::Document();
  return std::move((*documents)[0]);
}

// Expects `actual` to equal `expected` exactly (member order aside), naming the first
// difference.
inline void ExpectSameJson(const rapidjson::Value& expected, const rapidjson::Value& actual,
                           const std::string& what) {
  auto difference = FirstDifference(expected, actual);
  EXPECT_FALSE(difference.has_value())
      << what << ": " << difference.value_or("") << "\nactual: " << ToJson(actual);
}

}  // namespace mm::testing
