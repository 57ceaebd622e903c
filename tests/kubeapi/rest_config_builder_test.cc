#include "kubeapi/rest_config_builder.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/kubeapi/temp_dir.h"

namespace mm::kubeapi {
namespace {

using testing::TempDir;

// A kubeconfig with two contexts; files it names live next to it in the test's temp dir.
constexpr char kKubeconfig[] = R"(current-context: dev
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority: certs/ca.crt
- name: c2
  cluster:
    server: 10.0.0.2:6443
    certificate-authority-data: Y2EtMg==
- name: insecure-with-ca
  cluster: {server: https://x, insecure-skip-tls-verify: true, certificate-authority-data: Y2E=}
- name: no-server
  cluster: {tls-server-name: x}
- name: plain
  cluster: {server: "127.0.0.1:8001"}
- name: bad-server
  cluster: {server: "ht!tp://:::"}
- name: socks
  cluster: {server: "https://10.0.0.3", proxy-url: "socks5://127.0.0.1:1080"}
- name: ftp-proxy
  cluster: {server: "https://10.0.0.3", proxy-url: "ftp://127.0.0.1:21"}
- name: bare-proxy
  cluster: {server: "https://10.0.0.3", proxy-url: "127.0.0.1:3128"}
users:
- name: u1
  user: {token: tok1, as: someone, as-groups: [g1]}
- name: u2
  user: {client-certificate: certs/me.crt, client-key: certs/me.key, token: tok2}
- name: token-and-basic
  user: {token: t, username: bob}
- name: basic
  user: {username: bob, password: secret}
- name: token-file
  user: {tokenFile: tokens/t}
- name: missing-token-file
  user: {tokenFile: tokens/none}
- name: cert-only
  user: {client-certificate-data: Y2VydA==}
- name: exec-v1
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: plug}
- name: exec-v1beta1
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/plug, args: [a]}
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: team-a}
- name: other
  context: {cluster: c2, user: u2}
- name: dangling
  context: {cluster: nowhere, user: nobody}
)";

struct Case {
  std::string name;
  ConfigOverrides overrides;
  std::string error;  // expected error; "" for success
  std::function<void(const RestConfig&)> check;
};

class RestConfigBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Write("kube/config", kKubeconfig);
    dir_.Write("kube/certs/ca.crt", "ca-1");
    dir_.Write("kube/certs/me.crt", "cert-2");
    dir_.Write("kube/certs/me.key", "key-2");
    dir_.Write("kube/tokens/t", "file-token\n");
    dir_.Write("sa/token", "sa-token");
    dir_.Write("sa/ca.crt", "sa-ca");
    dir_.Write("sa/namespace", "from-sa\n");
  }

  Kubeconfig Load() {
    auto config = ParseKubeconfig(kKubeconfig, path_);
    EXPECT_TRUE(config.ok());
    return config.ok() ? *config : Kubeconfig{};
  }

  void Run(const std::vector<Case>& cases, const Kubeconfig& config,
           const InClusterEnvironment& in_cluster) {
    for (const Case& c : cases) {
      SCOPED_TRACE(c.name);
      auto rest = BuildRestConfig(config, c.overrides, in_cluster);
      if (c.error.empty()) {
        ASSERT_TRUE(rest.ok()) << rest.error().message();
        c.check(*rest);
      } else {
        ASSERT_FALSE(rest.ok());
        EXPECT_EQ(rest.error().kind(), ErrorKind::kConfig);
        EXPECT_EQ(rest.error().message(), c.error);
      }
    }
  }

  InClusterEnvironment InCluster(std::string pod_namespace = "") {
    return {"10.96.0.1", "443", std::move(pod_namespace), dir_.Path("sa")};
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(RestConfigBuilderTest, SelectionOverridesAndValidation) {
  const std::string kube = dir_.Path("kube");
  std::vector<Case> cases = {
      {"current context",
       {},
       "",
       [&](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "https://10.0.0.1:6443");
         EXPECT_EQ(rest.tls.ca_pem, "ca-1");
         EXPECT_FALSE(rest.tls.insecure_skip_verify);
         EXPECT_EQ(rest.context_name, "dev");
         EXPECT_EQ(rest.namespace_name, "team-a");
         EXPECT_FALSE(rest.namespace_explicit);
         EXPECT_EQ(rest.credentials.token.Reveal(), "tok1");
         EXPECT_EQ(rest.impersonation, (Impersonation{"someone", "", {"g1"}, {}}));
         EXPECT_EQ(rest.request_timeout.count(), 0);
       }},
      {"--context other: https because of the CA, cert and token both kept",
       {.context = "other"},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "https://10.0.0.2:6443");
         EXPECT_EQ(rest.tls.ca_pem, "ca-2");
         EXPECT_EQ(rest.namespace_name, "default");
         EXPECT_EQ(rest.credentials.client_certificate_pem, "cert-2");
         EXPECT_EQ(rest.credentials.client_key_pem.Reveal(), "key-2");
         EXPECT_EQ(rest.credentials.token.Reveal(), "tok2");
       }},
      {"--cluster, --user, -n, --server, --token, --as, --as-group, --tls-server-name",
       {.cluster = "c2",
        .user = "token-file",
        .namespace_name = "ns",
        .server = "https://override:1",
        .token = "flag-token",
        .impersonate = "admin",
        .impersonate_groups = {"a", "b"},
        .tls_server_name = "kubernetes"},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "https://override:1");
         EXPECT_EQ(rest.tls.server_name, "kubernetes");
         EXPECT_EQ(rest.namespace_name, "ns");
         EXPECT_TRUE(rest.namespace_explicit);
         EXPECT_EQ(rest.credentials.token.Reveal(), "flag-token");
         EXPECT_EQ(rest.credentials.token_file, "");  // --token replaces tokenFile
         EXPECT_EQ(rest.impersonation, (Impersonation{"admin", "", {"a", "b"}, {}}));
       }},
      {"--username, --password, --as-uid, --as-user-extra",
       {.user = "basic",
        .username = "alice",
        .password = "pw",
        .impersonate_uid = "1234",
        .impersonate_extra = {{"scopes", {"a", "b"}}}},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.credentials.username, "alice");
         EXPECT_EQ(rest.credentials.password.Reveal(), "pw");
         EXPECT_EQ(rest.impersonation, (Impersonation{"", "1234", {}, {{"scopes", {"a", "b"}}}}));
       }},
      {"--username over a kubeconfig token: two methods, as kubectl",
       {.user = "u1", .username = "alice"},
       "more than one authentication method found for u1; found [token basicAuth], only one is "
       "allowed",
       nullptr},
      {"no TLS settings: http scheme added",
       {.cluster = "plain"},
       "",
       [](const RestConfig& rest) { EXPECT_EQ(rest.server, "http://127.0.0.1:8001"); }},
      {"--insecure-skip-tls-verify drops the kubeconfig CA",
       {.insecure_skip_tls_verify = true},
       "",
       [](const RestConfig& rest) {
         EXPECT_TRUE(rest.tls.insecure_skip_verify);
         EXPECT_EQ(rest.tls.ca_pem, "");
       }},
      {"--certificate-authority replaces the kubeconfig CA",
       {.certificate_authority = kube + "/certs/me.crt"},
       "",
       [](const RestConfig& rest) { EXPECT_EQ(rest.tls.ca_pem, "cert-2"); }},
      {"tokenFile is read",
       {.user = "token-file"},
       "",
       [&](const RestConfig& rest) { EXPECT_EQ(rest.credentials.token_file, kube + "/tokens/t"); }},
      {"basic auth",
       {.user = "basic"},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.credentials.username, "bob");
         EXPECT_EQ(rest.credentials.password.Reveal(), "secret");
       }},
      {"exec v1beta1 defaults interactiveMode and gets cluster info",
       {.user = "exec-v1beta1"},
       "",
       [&](const RestConfig& rest) {
         ASSERT_TRUE(rest.credentials.exec.has_value());
         EXPECT_EQ(rest.credentials.exec->interactive_mode, "IfAvailable");
         EXPECT_EQ(rest.credentials.exec->command, kube + "/bin/plug");
         EXPECT_EQ(rest.credentials.exec_cluster.server, "https://10.0.0.1:6443");
         EXPECT_EQ(rest.credentials.exec_cluster.ca_pem, "ca-1");
         EXPECT_EQ(rest.credentials.user_name, "exec-v1beta1");
       }},
      {"context naming a missing cluster: kubectl's default server",
       {.context = "dangling"},
       "",
       [](const RestConfig& rest) { EXPECT_EQ(rest.server, "http://localhost:8080"); }},
      {"request timeout: bare seconds",
       {.request_timeout = "30"},
       "",
       [](const RestConfig& rest) { EXPECT_EQ(rest.request_timeout.count(), 30000); }},
      {"request timeout: Go duration",
       {.request_timeout = "1m30s"},
       "",
       [](const RestConfig& rest) { EXPECT_EQ(rest.request_timeout.count(), 90000); }},
      {"unknown context",
       {.context = "nope"},
       "invalid configuration: context was not found for specified context: nope",
       nullptr},
      {"unknown user", {.user = "nope"}, "auth info \"nope\" does not exist", nullptr},
      {"unknown cluster", {.cluster = "nope"}, "no server found for cluster \"nope\"", nullptr},
      {"cluster without server",
       {.cluster = "no-server"},
       "no server found for cluster \"no-server\"",
       nullptr},
      {"malformed server",
       {.cluster = "bad-server"},
       "host must be a URL or a host:port pair: \"ht!tp://:::\"",
       nullptr},
      {"insecure and CA in the kubeconfig",
       {.cluster = "insecure-with-ca"},
       "specifying a root certificates file with the insecure flag is not allowed",
       nullptr},
      {"--insecure-skip-tls-verify with --certificate-authority",
       {.certificate_authority = kube + "/certs/ca.crt", .insecure_skip_tls_verify = true},
       "specifying a root certificates file with the insecure flag is not allowed",
       nullptr},
      {"unreadable CA",
       {.certificate_authority = kube + "/nope.crt"},
       "unable to read certificate-authority " + kube + "/nope.crt for c1 due to open " + kube +
           "/nope.crt: no such file or directory",
       nullptr},
      {"unreadable client key",
       {.client_key = kube + "/nope.key"},
       "unable to read client-key " + kube + "/nope.key for u1 due to open " + kube +
           "/nope.key: no such file or directory",
       nullptr},
      {"certificate without key",
       {.user = "cert-only"},
       "client-key-data or client-key must be specified for cert-only to use the clientCert "
       "authentication method.",
       nullptr},
      {"token and basic auth",
       {.user = "token-and-basic"},
       "more than one authentication method found for token-and-basic; found [token basicAuth], "
       "only one is allowed",
       nullptr},
      {"missing tokenFile",
       {.user = "missing-token-file"},
       "open " + kube + "/tokens/none: no such file or directory",
       nullptr},
      {"exec v1 needs interactiveMode",
       {.user = "exec-v1"},
       "interactiveMode must be specified for exec-v1 to use exec authentication plugin",
       nullptr},
      {"proxy-url kept for the transports",
       {.cluster = "socks"},
       "",
       [](const RestConfig& rest) { EXPECT_EQ(rest.proxy_url, "socks5://127.0.0.1:1080"); }},
      {"proxy-url with a scheme client-go refuses (kubectl's text)",
       {.cluster = "ftp-proxy"},
       "invalid 'proxy-url' \"ftp://127.0.0.1:21\" for cluster \"ftp-proxy\": unsupported scheme "
       "\"ftp\", must be http, https, or socks5",
       nullptr},
      {"proxy-url without a scheme",
       {.cluster = "bare-proxy"},
       "invalid 'proxy-url' \"127.0.0.1:3128\" for cluster \"bare-proxy\": could not parse: "
       "127.0.0.1:3128",
       nullptr},
      {"bad request timeout",
       {.request_timeout = "soon"},
       "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed "
       "by a corresponding time unit (e.g. 1s | 2m | 3h)",
       nullptr},
  };
  Run(cases, Load(), InClusterEnvironment{});
}

TEST_F(RestConfigBuilderTest, EmptyConfigWithoutInCluster) {
  std::vector<Case> cases = {
      {"nothing configured",
       {},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "http://localhost:8080");
         EXPECT_EQ(rest.namespace_name, "default");
         EXPECT_EQ(rest.context_name, "");
       }},
      {"--server only",
       {.server = "https://api:6443", .token = "t"},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "https://api:6443");
         EXPECT_EQ(rest.credentials.token.Reveal(), "t");
       }},
  };
  Run(cases, Kubeconfig{}, InClusterEnvironment{"10.96.0.1", "443", "", dir_.Path("no-sa")});
}

TEST_F(RestConfigBuilderTest, InClusterFallback) {
  const std::string sa = dir_.Path("sa");
  std::vector<Case> cases = {
      {"service account",
       {},
       "",
       [&](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "https://10.96.0.1:443");
         EXPECT_EQ(rest.tls.ca_pem, "sa-ca");
         EXPECT_EQ(rest.credentials.token_file, sa + "/token");
         EXPECT_EQ(rest.namespace_name, "from-sa");
         EXPECT_EQ(rest.context_name, "");
       }},
      {"overrides still apply",
       {.namespace_name = "x", .server = "https://other:1", .token = "t"},
       "",
       [](const RestConfig& rest) {
         EXPECT_EQ(rest.server, "https://other:1");
         EXPECT_EQ(rest.credentials.token.Reveal(), "t");
         EXPECT_EQ(rest.credentials.token_file, "");
         EXPECT_EQ(rest.namespace_name, "x");
       }},
  };
  Run(cases, Kubeconfig{}, InCluster());
  Run({{"POD_NAMESPACE wins over the namespace file",
        {},
        "",
        [](const RestConfig& rest) { EXPECT_EQ(rest.namespace_name, "from-env"); }}},
      Kubeconfig{}, InCluster("from-env"));
  InClusterEnvironment ipv6 = InCluster();
  ipv6.service_host = "fd00::1";
  Run({{"IPv6 host is bracketed",
        {},
        "",
        [](const RestConfig& rest) { EXPECT_EQ(rest.server, "https://[fd00::1]:443"); }}},
      Kubeconfig{}, ipv6);
  // A kubeconfig wins over in-cluster, but a context without namespace takes the pod's.
  Run({{"kubeconfig wins; namespace from the pod",
        {.context = "other"},
        "",
        [](const RestConfig& rest) {
          EXPECT_EQ(rest.server, "https://10.0.0.2:6443");
          EXPECT_EQ(rest.namespace_name, "from-env");
        }}},
      Load(), InCluster("from-env"));
}

}  // namespace
}  // namespace mm::kubeapi
