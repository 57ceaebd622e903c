#include "kubeapi/exec_credential.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/temp_dir.h"

namespace mm::kubeapi {
namespace {

using testing::FakeClock;
using testing::TempDir;

constexpr char kV1[] = "client.authentication.k8s.io/v1";

TEST(ExecCredentialTest, ExecInfoWithAndWithoutClusterInfo) {
  ExecConfig exec{kV1, "p", {}, {}, "Never", true, ""};
  ExecClusterInfo cluster{"https://127.0.0.1:18089", "", "PEM", false, "", false,
                          R"({"audience":"foo"})"};
  EXPECT_EQ(BuildExecInfo(exec, cluster, false),
            R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1",)"
            R"("spec":{"cluster":{"server":"https://127.0.0.1:18089",)"
            R"("certificate-authority-data":"UEVN","config":{"audience":"foo"}},)"
            R"("interactive":false}})");
  exec.api_version = "client.authentication.k8s.io/v1beta1";
  exec.provide_cluster_info = false;
  EXPECT_EQ(BuildExecInfo(exec, cluster, false),
            R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1",)"
            R"("spec":{"interactive":false}})");
  ExecClusterInfo every{"https://a", "kubernetes", "", true, "socks5://p:1", true, ""};
  exec.provide_cluster_info = true;
  EXPECT_EQ(BuildExecInfo(exec, every, true),
            R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1",)"
            R"("spec":{"cluster":{"server":"https://a","tls-server-name":"kubernetes",)"
            R"("insecure-skip-tls-verify":true,"proxy-url":"socks5://p:1",)"
            R"("disable-compression":true},"interactive":true}})");
}

TEST(ExecCredentialTest, MalformedAnswers) {
  struct Case {
    std::string stdout_text;
    std::string error;
  };
  const Case cases[] = {
      {"not json",
       "getting credentials: decoding stdout: stdout: invalid JSON at offset 1: Invalid value."},
      {R"({"apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"t"}})",
       "getting credentials: exec plugin is configured to use API version "
       "client.authentication.k8s.io/v1, plugin returned version "
       "client.authentication.k8s.io/v1beta1"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1"})",
       "getting credentials: exec plugin didn't return a status field"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","status":{}})",
       "getting credentials: exec plugin didn't return a token or cert/key pair"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"c"}})",
       "getting credentials: exec plugin returned only certificate or key, not both"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":"tomorrow"}})",
       "getting credentials: exec plugin returned an invalid expirationTimestamp \"tomorrow\""},
  };
  for (const Case& c : cases) {
    auto credential = ParseExecCredential(c.stdout_text, kV1);
    ASSERT_FALSE(credential.ok()) << c.stdout_text;
    EXPECT_EQ(credential.error().kind(), ErrorKind::kTransport);
    EXPECT_EQ(credential.error().message(), c.error);
  }
}

TEST(ExecCredentialTest, CertificateAnswerAndTimestamps) {
  auto credential = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"CERT","clientKeyData":"KEY","expirationTimestamp":"2099-01-01T00:00:00Z"}})",
      kV1);
  ASSERT_TRUE(credential.ok()) << credential.error().message();
  ASSERT_NE(credential->identity, nullptr);
  EXPECT_EQ(credential->identity->certificate_pem, "CERT");
  EXPECT_EQ(credential->identity->key_pem.Reveal(), "KEY");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*credential->expiry), 4070908800);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*ParseRfc3339("2024-01-01T02:00:00.123+02:00")),
            1704067200);
  EXPECT_FALSE(ParseRfc3339("2024-01-01 00:00:00").has_value());
}

// Runs real plugins (shell scripts started with fork/exec, argv and environment as configured).
class ExecPluginTest : public ::testing::Test {
 protected:
  Result<ExecCredential> Run(ExecConfig exec) {
    ExecCredentialProvider provider(std::move(exec), ExecClusterInfo{"https://k:6443"}, false,
                                    clock_);
    return provider.Get();
  }
  TempDir dir_;
  FakeClock clock_;
};

TEST_F(ExecPluginTest, PluginReceivesArgsEnvAndExecInfo) {
  // The token echoes what the plugin saw, so the test checks argv, env and KUBERNETES_EXEC_INFO.
  std::string plugin =
      dir_.Write("plugin.sh",
                 "#!/bin/sh\n"
                 "info=$(printf '%s' \"$KUBERNETES_EXEC_INFO\" | tr -d '\"{}:,')\n"
                 "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                 "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s|%s|%s\"}}'"
                 " \"$1 $2\" \"$MYENV\" \"$info\"\n",
                 true);
  auto credential =
      Run({kV1, plugin, {"--flag", "two words"}, {{"MYENV", "hello"}}, "Never", true, ""});
  ASSERT_TRUE(credential.ok()) << credential.error().message();
  EXPECT_EQ(credential->token.Reveal(),
            "--flag two words|hello|kindExecCredentialapiVersionclient.authentication.k8s.io/"
            "v1specclusterserverhttps//k6443interactivefalse");
}

TEST_F(ExecPluginTest, FailuresUseClientGoTexts) {
  std::string failing = dir_.Write("fail.sh", "#!/bin/sh\nexit 3\n", true);
  struct Case {
    ExecConfig exec;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{kV1, "kubectl-mattermost-no-such-plugin", {}, {}, "Never", false, "install it please"},
       "getting credentials: exec: executable kubectl-mattermost-no-such-plugin not found\n\n"
       "It looks like you are trying to use a client-go credential plugin that is not "
       "installed.\n\n"
       "To learn more about this feature, consult the documentation available at:\n"
       "      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
       "#client-go-credential-plugins\n\n"
       "install it please"},
      {{kV1, dir_.Path("sub/nosuch"), {}, {}, "Never", false, "hint"},
       "getting credentials: exec: fork/exec " + dir_.Path("sub/nosuch") +
           ": no such file or directory"},
      {{kV1, failing, {}, {}, "Never", false, ""},
       "getting credentials: exec: executable " + failing + " failed with exit code 3"},
      {{kV1, failing, {}, {}, "Always", false, ""},
       "getting credentials: exec plugin cannot support interactive mode: standard input is not a "
       "terminal"},
  };
  for (const Case& c : cases) {
    auto credential = Run(c.exec);
    ASSERT_FALSE(credential.ok()) << c.error;
    EXPECT_EQ(credential.error().message(), c.error);
  }
}

}  // namespace
}  // namespace mm::kubeapi
