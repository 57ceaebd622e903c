#include "kubeapi/url.h"

#include <gtest/gtest.h>

namespace mm::kubeapi {
namespace {

TEST(UrlTest, SplitsWithEachSchemesDefaultPort) {
  struct Case {
    std::string url;
    std::string host_port;
  };
  const Case cases[] = {
      {"https://api.example.com/x", "api.example.com:443"},
      {"http://proxy", "proxy:80"},
      {"socks5://127.0.0.1", "127.0.0.1:1080"},
      {"http://user:secret@proxy:3128", "proxy:3128"},
      {"https://[::1]:6443/api", "[::1]:6443"},
  };
  for (const Case& c : cases) {
    UrlParts parts;
    ASSERT_TRUE(SplitUrl(c.url, parts)) << c.url;
    EXPECT_EQ(HostPort(parts), c.host_port) << c.url;
  }
  UrlParts parts;
  EXPECT_FALSE(SplitUrl("127.0.0.1:3128", parts));
}

TEST(UrlTest, ProxyAuthorizationFromUserInformation) {
  EXPECT_EQ(ProxyAuthorization("http://proxy:3128"), "");
  EXPECT_EQ(ProxyAuthorization("http://bob:secret@proxy:3128"), "Basic Ym9iOnNlY3JldA==");
  EXPECT_EQ(ProxyAuthorization("http://bob@proxy:3128"), "Basic Ym9iOg==");  // "bob:"
  // Percent-escapes are decoded ("p@ss:w" is "p%40ss%3Aw"); a broken escape stays as written.
  EXPECT_EQ(ProxyAuthorization("http://a%20b:p%40ss%3Aw@proxy"), "Basic YSBiOnBAc3M6dw==");
  EXPECT_EQ(ProxyAuthorization("http://a:%zz%4@proxy"), "Basic YTolenolNA==");
}

}  // namespace
}  // namespace mm::kubeapi
