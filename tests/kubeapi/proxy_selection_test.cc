#include "kubeapi/proxy_selection.h"

#include <gtest/gtest.h>

namespace mm::kubeapi {
namespace {

std::string Select(const std::string& url, const std::string& configured,
                   const ProxyEnvironment& environment) {
  UrlParts parts;
  EXPECT_TRUE(SplitUrl(url, parts)) << url;
  return SelectProxy(parts, configured, environment);
}

TEST(ProxySelectionTest, ConfiguredProxyWinsForEveryHost) {
  ProxyEnvironment environment{"http://env:1", "http://env:2", "*"};
  for (const char* url : {"https://127.0.0.1:6443/api", "https://localhost/", "https://[::1]/",
                          "https://api.example.com/", "http://10.0.0.1/"}) {
    EXPECT_EQ(Select(url, "http://proxy:3128", environment), "http://proxy:3128") << url;
  }
}

TEST(ProxySelectionTest, EnvironmentBySchemeMinusLoopbackAndNoProxy) {
  ProxyEnvironment environment{"https-proxy:3128", "http://plain-proxy:8080",
                               " internal.example ,.corp.example,10.0.0.0/8, 192.168.1.7,"
                               "*.svc.local,api.example.com:8443,[fd00::1]:6443"};
  struct Case {
    std::string url;
    std::string proxy;
  };
  const std::vector<Case> cases = {
      {"https://api.example.com/", "http://https-proxy:3128"},  // no scheme: http://
      {"http://api.example.com/", "http://plain-proxy:8080"},
      {"https://127.0.0.1:6443/", ""},
      {"https://127.8.9.1/", ""},
      {"https://localhost:6443/", ""},
      {"https://LOCALHOST/", ""},
      {"https://[::1]:6443/", ""},
      {"https://internal.example/", ""},
      {"https://a.internal.example/", ""},  // a domain covers its subdomains
      {"https://xinternal.example/", "http://https-proxy:3128"},
      {"https://corp.example/", "http://https-proxy:3128"},  // ".corp.example": subdomains only
      {"https://db.corp.example/", ""},
      {"https://10.1.2.3/", ""},
      {"https://11.1.2.3/", "http://https-proxy:3128"},
      {"https://192.168.1.7/", ""},
      {"https://192.168.1.8/", "http://https-proxy:3128"},
      {"https://kube.svc.local/", ""},
      {"https://svc.local/", "http://https-proxy:3128"},
      {"https://api.example.com:8443/", ""},  // the port named in NO_PROXY
      {"https://[fd00::1]:6443/", ""},
      {"https://[fd00::1]:443/", "http://https-proxy:3128"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Select(c.url, "", environment), c.proxy) << c.url;
  }
}

TEST(ProxySelectionTest, NoVariablesMeansDirectAndStarBypassesAll) {
  EXPECT_EQ(Select("https://api.example.com/", "", {}), "");
  EXPECT_EQ(Select("https://api.example.com/", "", {"http://p:1", "", "*"}), "");
  EXPECT_EQ(Select("http://api.example.com/", "", {"http://p:1", "", ""}), "");  // HTTPS_PROXY only
}

}  // namespace
}  // namespace mm::kubeapi
