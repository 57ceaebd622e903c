#include "tests/sandbox/managed_fields.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox {
namespace {

constexpr const char* kNow = "2025-01-01T00:00:00Z";

rapidjson::Document Json(const char* text) { return std::move(*mm::ParseJson(text)); }

TEST(CollectFieldsTest, ListsElementsByKeyAndSkipsServerMetadata) {
  auto object = Json(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","uid":"u",
      "labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"i","args":["x"]}]},
      "status":{"phase":"Running"}})");
  FieldSet fields = CollectFields(object, FieldScope::kMain, nullptr);
  std::vector<std::string> paths;
  for (const auto& path : fields) paths.push_back(PathString(path));
  EXPECT_EQ(paths, (std::vector<std::string>{".metadata.labels.a", ".spec.containers[name=\"c\"]",
                                             ".spec.containers[name=\"c\"].args",
                                             ".spec.containers[name=\"c\"].image",
                                             ".spec.containers[name=\"c\"].name"}));
}

TEST(ServerSideApplyTest, CreatesThenDetectsConflictWithAnotherManager) {
  auto applied = Json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},
      "data":{"a":"1","b":"2"}})");
  auto created =
      ServerSideApply(nullptr, applied, "alice", false, "v1", FieldScope::kAll, nullptr, kNow);
  ASSERT_TRUE(created);
  EXPECT_EQ(
      Dump(*AtPath(*created, "metadata.managedFields")),
      R"([{"manager":"alice","operation":"Apply","apiVersion":"v1","time":"2025-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{},"f:b":{}}}}])");

  auto bob =
      Json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"9"}})");
  auto conflict =
      ServerSideApply(&*created, bob, "bob", false, "v1", FieldScope::kAll, nullptr, kNow);
  ASSERT_FALSE(conflict);
  const mm::ApiStatus& status = *conflict.error().status();
  EXPECT_EQ(status.code, 409);
  EXPECT_EQ(status.message, "Apply failed with 1 conflict: conflict with \"alice\": .data.a");
  ASSERT_EQ(status.causes.size(), 1u);
  EXPECT_EQ(status.causes[0].reason, "FieldManagerConflict");
  EXPECT_EQ(status.causes[0].field, ".data.a");

  // Same value: shared ownership, no conflict.
  auto same =
      Json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}})");
  EXPECT_TRUE(
      ServerSideApply(&*created, same, "bob", false, "v1", FieldScope::kAll, nullptr, kNow));

  // Forced: bob takes the field, alice keeps b.
  auto forced = ServerSideApply(&*created, bob, "bob", true, "v1", FieldScope::kAll, nullptr, kNow);
  ASSERT_TRUE(forced);
  EXPECT_EQ(Dump(*Member(*forced, "data")), R"({"a":"9","b":"2"})");
  auto entries = ParseManagedFields(*forced);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].fields, (FieldSet{{"f:data", "f:b"}}));
  EXPECT_EQ(entries[1].fields, (FieldSet{{"f:data", "f:a"}}));
}

TEST(ServerSideApplyTest, FieldsDroppedFromTheConfigAreRemoved) {
  auto first = Json(R"({"metadata":{"name":"c"},"data":{"a":"1","b":"2"}})");
  auto created =
      ServerSideApply(nullptr, first, "alice", false, "v1", FieldScope::kAll, nullptr, kNow);
  auto second = Json(R"({"metadata":{"name":"c"},"data":{"a":"1"}})");
  auto updated =
      ServerSideApply(&*created, second, "alice", false, "v1", FieldScope::kAll, nullptr, kNow);
  ASSERT_TRUE(updated);
  EXPECT_EQ(Dump(*Member(*updated, "data")), R"({"a":"1"})");
}

TEST(ServerSideApplyTest, UpdateManagerConflictNamesApiVersion) {
  auto live = Json(R"({"metadata":{"name":"d"},"spec":{"replicas":1}})");
  RecordUpdate(nullptr, live, "kubectl-client-side-apply", "apps/v1", "", FieldScope::kAll, nullptr,
               kNow);
  auto applied = Json(R"({"metadata":{"name":"d"},"spec":{"replicas":2}})");
  auto result =
      ServerSideApply(&live, applied, "kubectl", false, "apps/v1", FieldScope::kAll, nullptr, kNow);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status()->message,
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
            "apps/v1: .spec.replicas");
}

TEST(RecordUpdateTest, ChangedFieldsMoveToTheWriter) {
  auto before = Json(R"({"metadata":{"name":"c"},"data":{"a":"1","b":"2"}})");
  RecordUpdate(nullptr, before, "alice", "v1", "", FieldScope::kAll, nullptr, kNow);
  auto after = Json(R"({"metadata":{"name":"c"},"data":{"a":"1","b":"3"}})");
  Set(Child(after, "metadata", after.GetAllocator()), "managedFields",
      *AtPath(before, "metadata.managedFields"), after.GetAllocator());
  RecordUpdate(&before, after, "bob", "v1", "", FieldScope::kAll, nullptr, kNow);
  auto entries = ParseManagedFields(after);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].manager, "alice");
  EXPECT_EQ(entries[0].fields, (FieldSet{{"f:data", "f:a"}}));
  EXPECT_EQ(entries[1].manager, "bob");
  EXPECT_EQ(entries[1].fields, (FieldSet{{"f:data", "f:b"}}));
}

}  // namespace
}  // namespace sandbox
