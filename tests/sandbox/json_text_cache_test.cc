#include "tests/sandbox/json_text_cache.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox {
namespace {

ObjectPtr Object(const std::string& value) {
  return Freeze(std::move(*mm::ParseJson(R"({"kind":"ConfigMap","data":{"v":")" + value + "\"}}")));
}

TEST(JsonTextCacheTest, SerializesEachObjectOnce) {
  JsonTextCache cache;
  ObjectPtr a = Object("a");
  ObjectPtr b = Object("b");
  EXPECT_EQ(cache.Text(a), R"({"kind":"ConfigMap","data":{"v":"a"}})");
  EXPECT_EQ(cache.Text(b), R"({"kind":"ConfigMap","data":{"v":"b"}})");
  EXPECT_EQ(cache.Text(a), R"({"kind":"ConfigMap","data":{"v":"a"}})");
  ObjectPtr a_again = a;  // another owner of the same object: still cached
  EXPECT_EQ(cache.Text(a_again), R"({"kind":"ConfigMap","data":{"v":"a"}})");
  EXPECT_EQ(cache.serialized(), 2u);
}

TEST(JsonTextCacheTest, AnObjectAtTheAddressOfAFreedOneGetsItsOwnText) {
  JsonTextCache cache;
  // One address, two objects one after the other (as an allocator reusing freed memory gives):
  // each owned through its own control block.
  rapidjson::Document storage;
  storage.Parse(R"({"v":"old"})");
  auto first_owner = std::make_shared<int>(1);
  ObjectPtr first(first_owner, &storage);
  EXPECT_EQ(cache.Text(first), R"({"v":"old"})");
  first.reset();
  first_owner.reset();
  storage.Parse(R"({"v":"new"})");
  ObjectPtr second(std::make_shared<int>(2), &storage);
  ASSERT_EQ(second.get(), &storage);
  EXPECT_EQ(cache.Text(second), R"({"v":"new"})");
  EXPECT_EQ(cache.serialized(), 2u);
}

TEST(JsonTextCacheTest, EntriesOfFreedObjectsAreSwept) {
  JsonTextCache cache;
  ObjectPtr kept = Object("kept");
  cache.Text(kept);
  for (int i = 0; i < 5000; ++i) cache.Text(Object(std::to_string(i)));
  EXPECT_LT(cache.size(), 2100u);  // swept whenever the map doubled; 5001 without sweeping
  EXPECT_EQ(cache.Text(kept), R"({"kind":"ConfigMap","data":{"v":"kept"}})");
}

}  // namespace
}  // namespace sandbox
