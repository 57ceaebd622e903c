#include "tests/sandbox/pod_status.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace sandbox {
namespace {

TEST(PodStatusReasonTest, FollowsThePrinterRules) {
  struct Case {
    std::string pod;
    std::string want;
  } cases[] = {
      {R"({})", "Pending"},
      {R"({"status":{"phase":"Running","containerStatuses":[
          {"ready":true,"state":{"running":{}}}]}})",
       "Running"},
      {R"({"status":{"phase":"Succeeded","containerStatuses":[
          {"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})",
       "Completed"},
      {R"({"status":{"phase":"Failed","containerStatuses":[
          {"state":{"terminated":{"exitCode":2}}}]}})",
       "ExitCode:2"},
      {R"({"status":{"phase":"Running","containerStatuses":[
          {"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})",
       "CrashLoopBackOff"},
      // The first container wins.
      {R"({"status":{"phase":"Pending","containerStatuses":[
          {"state":{"waiting":{"reason":"ImagePullBackOff"}}},
          {"state":{"waiting":{"reason":"ContainerCreating"}}}]}})",
       "ImagePullBackOff"},
      {R"({"status":{"phase":"Pending","initContainerStatuses":[
          {"state":{"terminated":{"exitCode":0}}},{"state":{"running":{}}}]}})",
       "Init:1/2"},
      {R"({"status":{"phase":"Pending","initContainerStatuses":[
          {"state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}})",
       "Init:Error"},
      {R"({"metadata":{"deletionTimestamp":"2025-01-01T00:00:00Z"},"status":{"phase":"Running"}})",
       "Terminating"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PodStatusReason(*mm::ParseJson(c.pod)), c.want) << c.pod;
  }
}

}  // namespace
}  // namespace sandbox
