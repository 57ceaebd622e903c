#include "kubeapi/user_agent.h"

#include <gtest/gtest.h>

namespace mm::kubeapi {
namespace {

TEST(UserAgentTest, NamesPluginVersionAndPlatform) {
  EXPECT_EQ(UserAgent("v0.1.0"), "kubectl-mattermost/v0.1.0 (linux/amd64)");
}

TEST(UserAgentTest, TransportIsLibcurlWithOpenSslAndHttp2) {
  std::string description = TransportDescription();
  EXPECT_EQ(description.rfind("libcurl/", 0), 0u) << description;
  EXPECT_NE(description.find("OpenSSL/"), std::string::npos) << description;
  EXPECT_NE(description.find("(http2)"), std::string::npos) << description;
}

}  // namespace
}  // namespace mm::kubeapi
