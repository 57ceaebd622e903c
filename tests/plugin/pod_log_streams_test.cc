// Which container `logs` reads, and the complaint for one a pod does not have.
#include "plugin/logs/pod_log_streams.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

rapidjson::Document Pod() {
  auto pod = ParseJson(R"({"metadata":{"name":"demo-1"},"spec":{
      "initContainers":[{"name":"wait-db"}],"containers":[{"name":"mattermost"},{"name":"proxy"}]}})");
  EXPECT_TRUE(pod.ok());
  return std::move(*pod);
}

TEST(PodLogStreamsTest, LogContainerIsTheRequestedOneElseTheFirst) {
  EXPECT_EQ(LogContainer(Pod(), ""), "mattermost");
  EXPECT_EQ(LogContainer(Pod(), "proxy"), "proxy");
}

TEST(PodLogStreamsTest, MissingContainerNamesTheChoices) {
  EXPECT_EQ(MissingContainer(Pod(), "mattermost"), "");
  EXPECT_EQ(MissingContainer(Pod(), "wait-db"), "");
  EXPECT_EQ(MissingContainer(Pod(), "nope"),
            "container nope is not valid for pod demo-1: choose one of [wait-db mattermost proxy]");
}

}  // namespace
}  // namespace mm
