#include "core/md5.h"

#include <gtest/gtest.h>

#include "core/mattermost/database.h"

namespace mm {
namespace {

TEST(Md5Test, KnownDigests) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6");
}

// operator.md §10.2 V5 (TestHashedName).
TEST(Md5Test, MysqlClusterNames) {
  struct Case {
    const char* name;
    const char* cluster;
  };
  const Case kCases[] = {{"some-deployment", "db-5526c9"},
                         {"s", "db-03c7c0"},
                         {"a", "db-0cc175"},
                         {"ab", "db-187ef4"},
                         {"", "db-d41d8c"},
                         {"test-mm", "db-8848a1"},
                         {"test-mm2", "db-95b2f2"},
                         {"mm-jw", "db-f64f9d"},
                         {"foo", "db-acbd18"}};
  for (const Case& c : kCases) EXPECT_EQ(MysqlClusterName(c.name), c.cluster) << c.name;
}

}  // namespace
}  // namespace mm
