#include "tests/sandbox/sim/scheduler.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox::sim {
namespace {

ObjectPtr Parse(const std::string& text) {
  auto doc = mm::ParseJson(text);
  EXPECT_TRUE(doc.ok()) << text;
  return Freeze(std::move(*doc));
}

ObjectPtr Node(const std::string& name, const std::string& cpu, const std::string& memory,
               const std::string& pods = "110", bool unschedulable = false) {
  return Parse(R"({"metadata":{"name":")" + name + R"("},"spec":{"unschedulable":)" +
               (unschedulable ? "true" : "false") + R"(},"status":{"allocatable":{"cpu":")" + cpu +
               R"(","memory":")" + memory + R"(","pods":")" + pods + R"("}}})");
}

// A pod with one container per request pair ({cpu, memory}; "" = not requested).
ObjectPtr Pod(const std::string& uid, const std::string& node,
              const std::vector<std::pair<std::string, std::string>>& containers,
              const std::string& phase = "Running", const std::string& init = "") {
  std::string list;
  for (const auto& [cpu, memory] : containers) {
    std::string requests;
    if (!cpu.empty()) requests += R"("cpu":")" + cpu + "\"";
    if (!memory.empty())
      requests += std::string(requests.empty() ? "" : ",") + R"("memory":")" + memory + "\"";
    list += std::string(list.empty() ? "" : ",") + R"({"name":"c","resources":{"requests":{)" +
            requests + "}}}";
  }
  std::string init_list =
      init.empty() ? "[]" : R"([{"name":"i","resources":{"requests":{"cpu":")" + init + "\"}}}]";
  return Parse(R"({"metadata":{"uid":")" + uid + R"("},"spec":{"nodeName":")" + node +
               R"(","containers":[)" + list + R"(],"initContainers":)" + init_list +
               R"(},"status":{"phase":")" + phase + R"("}})");
}

TEST(SchedulerTest, RequestsSumContainersAndTakeTheLargestInitContainer) {
  PodRequests r = RequestsOf(*Pod("p", "", {{"100m", "1Gi"}, {"1", ""}}));
  EXPECT_EQ(r.cpu_milli, 1100);
  EXPECT_EQ(r.memory_milli, 1024LL * 1024 * 1024 * 1000);
  EXPECT_EQ(RequestsOf(*Pod("p", "", {{"100m", ""}}, "Pending", "2")).cpu_milli, 2000);
}

TEST(SchedulerTest, PlacesRoundRobinAmongNodesWithRoom) {
  std::vector<ObjectPtr> nodes = {Node("a", "1", "1Gi"), Node("b", "2", "1Gi")};
  std::vector<ObjectPtr> pods = {Pod("x", "b", {{"1500m", ""}}),
                                 Pod("done", "a", {{"1", ""}}, "Succeeded")};
  ObjectPtr pod = Pod("new", "", {{"1", "512Mi"}});
  Placement first = PlacePod(*pod, nodes, pods, 1);  // b is full (1500m + 1 > 2): a, its pod done
  EXPECT_EQ(first.node, "a");
  EXPECT_EQ(first.index, 0u);
  EXPECT_EQ(PlacePod(*Pod("small", "", {{"500m", ""}}), nodes, pods, 1).node, "b");
}

TEST(SchedulerTest, ExplainsWhyNothingFits) {
  std::vector<ObjectPtr> nodes = {Node("a", "1", "1Gi"), Node("b", "4", "1Gi", "1"),
                                  Node("c", "8", "8Gi", "110", true)};
  std::vector<ObjectPtr> pods = {Pod("x", "b", {{"", ""}})};
  Placement none = PlacePod(*Pod("big", "", {{"2", "2Gi"}}), nodes, pods, 0);
  EXPECT_EQ(none.node, "");
  EXPECT_EQ(none.message,
            "0/3 nodes are available: 1 Insufficient cpu, 1 Too many pods, 1 node(s) were "
            "unschedulable, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 "
            "Preemption is not helpful for scheduling, 2 No preemption victims found for incoming "
            "pod.");
}

}  // namespace
}  // namespace sandbox::sim
