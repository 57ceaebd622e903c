#include "core/mattermost/sizes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "core/quantity.h"

namespace mm {
namespace {

std::vector<std::string> SizeNames() {
  std::vector<std::string> names;
  std::string list = KnownSizeList();
  for (size_t start = 0; start < list.size();) {
    size_t end = list.find(", ", start);
    if (end == std::string::npos) end = list.size();
    names.push_back(list.substr(start, end - start));
    start = end + 2;
  }
  return names;
}

// DefaultMattermost does not canonicalize the resources it writes from the table (they are
// written in canonical form already): every amount of every row must be canonical.
TEST(SizesTest, EveryAmountIsCanonical) {
  std::vector<std::string> names = SizeNames();
  ASSERT_EQ(names.size(), 9u);
  for (const std::string& name : names) {
    const SizeRow* row = FindSize(name);
    ASSERT_NE(row, nullptr) << name;
    for (const ResourceAmounts* amounts :
         {&row->app_requests, &row->app_limits, &row->minio_requests, &row->db_requests}) {
      for (const std::string& amount : {amounts->cpu, amounts->memory}) {
        auto canonical = CanonicalQuantity(amount);
        ASSERT_TRUE(canonical.ok()) << name << " " << amount;
        EXPECT_EQ(*canonical, amount) << name;
      }
    }
  }
}

// SizeResources builds the ResourceRequirements of a size table row, limits optional.
TEST(SizesTest, SizeResourcesExactJson) {
  const SizeRow* row = FindSize("25000users");
  ASSERT_NE(row, nullptr);
  rapidjson::Document document;
  EXPECT_EQ(ToJson(SizeResources(&row->app_limits, row->app_requests, document.GetAllocator())),
            R"({"limits":{"cpu":"4","memory":"16Gi"},"requests":{"cpu":"1","memory":"4Gi"}})");
  EXPECT_EQ(ToJson(SizeResources(nullptr, row->db_requests, document.GetAllocator())),
            R"({"requests":{"cpu":"500m","memory":"1Gi"}})");
  EXPECT_EQ(ToJson(SizeResources(nullptr, row->minio_requests, document.GetAllocator())),
            R"({"requests":{"cpu":"300m","memory":"500Mi"}})");
  ResourceAmounts empty;
  EXPECT_EQ(ToJson(SizeResources(&empty, empty, document.GetAllocator())),
            R"({"limits":{"cpu":"","memory":""},"requests":{"cpu":"","memory":""}})");
}

TEST(SizesTest, FindSizeIsExact) {
  EXPECT_NE(FindSize("5000users"), nullptr);
  EXPECT_EQ(FindSize("5000Users"), nullptr);
  EXPECT_EQ(FindSize(""), nullptr);
  EXPECT_EQ(FindSize("5000users "), nullptr);
}

}  // namespace
}  // namespace mm
