#include "tests/sandbox/store.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox {
namespace {

rapidjson::Document Obj(const std::string& name, const std::string& value) {
  return std::move(
      *mm::ParseJson(R"({"metadata":{"name":")" + name + R"("},"v":")" + value + "\"}"));
}

std::string ScanNames(const Store& store, uint64_t at_rv, const std::string& start = "") {
  std::string out;
  store.Scan("/cm", "ns/", start, at_rv, [&](const std::string& key, const ObjectPtr& o) {
    out += key + "=" + Str(*o, "v") + " ";
    return true;
  });
  return out;
}

TEST(StoreTest, ScanReadsPastResourceVersions) {
  Store store(100);
  store.Put("/cm", "ns/a", Obj("a", "1"));  // rv 1
  store.Put("/cm", "ns/b", Obj("b", "1"));  // rv 2
  store.Put("/cm", "ns/a", Obj("a", "2"));  // rv 3
  store.Delete("/cm", "ns/b");              // rv 4
  store.Put("/cm", "ns/c", Obj("c", "1"));  // rv 5
  EXPECT_EQ(ScanNames(store, 0), "ns/a=2 ns/c=1 ");
  EXPECT_EQ(ScanNames(store, 2), "ns/a=1 ns/b=1 ");
  EXPECT_EQ(ScanNames(store, 3), "ns/a=2 ns/b=1 ");
  EXPECT_EQ(ScanNames(store, 2, "ns/a"), "ns/b=1 ");
  EXPECT_EQ(store.rv(), 5u);
  EXPECT_EQ(Str(*AtPath(*store.Get("/cm", "ns/a"), "metadata"), "resourceVersion"), "3");
}

TEST(StoreTest, WindowBoundsResumableVersions) {
  Store store(2);
  for (int i = 0; i < 5; ++i) store.Put("/cm", "ns/a", Obj("a", std::to_string(i)));
  EXPECT_EQ(store.oldest_rv(), 3u);
  auto events = store.EventsAfter("/cm", 3);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]->rv, 4u);
  EXPECT_EQ(events[0]->type, EventType::kModified);
}

TEST(StoreTest, IndexesDependentsByOwnerUid) {
  Store store(10);
  auto owned = [](const std::string& name, const std::string& uid) {
    return std::move(*mm::ParseJson(R"({"metadata":{"name":")" + name +
                                    R"(","ownerReferences":[{"uid":")" + uid + R"("}]}})"));
  };
  store.Put("/cm", "ns/a", owned("a", "u1"));
  store.Put("/secrets", "ns/b", owned("b", "u1"));
  store.Put("/cm", "ns/c", owned("c", "u2"));
  using Deps = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(store.Dependents("u1"), (Deps{{"/cm", "ns/a"}, {"/secrets", "ns/b"}}));
  store.Put("/cm", "ns/a", owned("a", "u2"));  // re-parented
  store.Delete("/secrets", "ns/b");
  EXPECT_EQ(store.Dependents("u1"), Deps{});
  EXPECT_EQ(store.Dependents("u2"), (Deps{{"/cm", "ns/a"}, {"/cm", "ns/c"}}));
}

class Recorder : public EventListener {
 public:
  void OnEvent(const Event& e) override { seen.push_back(e.rv); }
  std::vector<uint64_t> seen;
};

TEST(StoreTest, ListenersSeeOnlyTheirResource) {
  Store store(10);
  Recorder recorder;
  store.Subscribe("/cm", &recorder);
  store.Put("/cm", "ns/a", Obj("a", "1"));
  store.Put("/secrets", "ns/a", Obj("a", "1"));
  store.Delete("/cm", "ns/a");
  store.Unsubscribe("/cm", &recorder);
  store.Put("/cm", "ns/a", Obj("a", "1"));
  EXPECT_EQ(recorder.seen, (std::vector<uint64_t>{1, 3}));
}

}  // namespace
}  // namespace sandbox
