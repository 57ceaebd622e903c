#include "kubeapi/user_agent.h"

#include <gtest/gtest.h>

namespace mm::kubeapi {
namespace {

TEST(UserAgentTest, NamesPluginVersionAndPlatform) {
  EXPECT_EQ(UserAgent("v0.1.0"), "kubectl-mattermost/v0.1.0 (linux/amd64)");
}

TEST(UserAgentTest, TransportIsOpenSslNghttp2AndZlib) {
  std::string description = TransportDescription();
  EXPECT_EQ(description.rfind("OpenSSL/3.", 0), 0u) << description;
  EXPECT_NE(description.find(" nghttp2/1."), std::string::npos) << description;
  EXPECT_NE(description.find(" zlib/1."), std::string::npos) << description;
  EXPECT_EQ(description.find("curl"), std::string::npos) << description;
}

}  // namespace
}  // namespace mm::kubeapi
