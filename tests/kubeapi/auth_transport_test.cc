#include "kubeapi/auth_transport.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/temp_dir.h"

namespace mm::kubeapi {
namespace {

using testing::FakeClock;
using testing::RecordingTransport;
using testing::Respond;
using testing::TempDir;

// Sends one GET through `auth` and returns the headers the network saw.
HttpHeaders HeadersSent(AuthTransport& auth, RecordingTransport& fake) {
  fake.responses.push_back(Respond(200));
  auth.RoundTrip({.method = "GET", .url = "https://k/api"});
  return fake.requests.back().headers;
}

TEST(AuthTransportTest, StaticCredentialsAndImpersonation) {
  struct Case {
    std::string name;
    Credentials credentials;
    Impersonation impersonation;
    bool tls;
    HttpHeaders expected;
  };
  Credentials token;
  token.token = SecretString("tok");
  Credentials basic;
  basic.username = "bob";
  basic.password = SecretString("secret");
  Credentials user_only;
  user_only.username = "bob";
  const std::vector<Case> cases = {
      {"bearer token", token, {}, true, {{"Authorization", "Bearer tok"}}},
      {"basic auth", basic, {}, true, {{"Authorization", "Basic Ym9iOnNlY3JldA=="}}},
      {"basic auth with an empty password",
       user_only,
       {},
       true,
       {{"Authorization", "Basic Ym9iOg=="}}},
      {"no credentials over plain http, impersonation still sent",
       token,
       {"admin", "", {"g1"}, {}},
       false,
       {{"Impersonate-User", "admin"}, {"Impersonate-Group", "g1"}}},
      {"every impersonation header",
       token,
       {"admin", "42", {"g1", "g2"}, {{"scopes", {"a", "b"}}}},
       true,
       {{"Authorization", "Bearer tok"},
        {"Impersonate-User", "admin"},
        {"Impersonate-Uid", "42"},
        {"Impersonate-Group", "g1"},
        {"Impersonate-Group", "g2"},
        {"Impersonate-Extra-scopes", "a"},
        {"Impersonate-Extra-scopes", "b"}}},
      {"extra keys are percent-encoded as client-go does",
       {},
       {"", "", {}, {{"example.com/reason", {"x y"}}, {"100%", {"v"}}, {"\xC3\xBC", {"u"}}}},
       true,
       {{"Impersonate-Extra-100%25", "v"},
        {"Impersonate-Extra-example.com%2Freason", "x y"},
        {"Impersonate-Extra-%C3%BC", "u"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RecordingTransport fake;
    AuthTransport auth(fake, c.credentials, c.impersonation, c.tls, nullptr);
    EXPECT_EQ(HeadersSent(auth, fake), c.expected);
  }
}

TEST(AuthTransportTest, TokenFileWinsAndIsReReadWhenItChanges) {
  TempDir dir;
  Credentials credentials;
  credentials.token = SecretString("static");
  credentials.token_file = dir.Write("token", "first\n");
  RecordingTransport fake;
  AuthTransport auth(fake, credentials, {}, true, nullptr);
  EXPECT_EQ(HeadersSent(auth, fake), (HttpHeaders{{"Authorization", "Bearer first"}}));
  dir.Write("token", "second-token");
  EXPECT_EQ(HeadersSent(auth, fake), (HttpHeaders{{"Authorization", "Bearer second-token"}}));
  // A vanished file keeps the last token, as client-go's cached token source does.
  std::filesystem::remove(dir.Path("token"));
  EXPECT_EQ(HeadersSent(auth, fake), (HttpHeaders{{"Authorization", "Bearer second-token"}}));
}

TEST(AuthTransportTest, MissingTokenFileFailsWithoutSending) {
  Credentials credentials;
  credentials.token_file = "/nonexistent/token";
  RecordingTransport fake;
  AuthTransport auth(fake, credentials, {}, true, nullptr);
  HttpResponse response = auth.RoundTrip({.method = "GET", .url = "https://k/api"});
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message,
            "Unable to connect to the server: open /nonexistent/token: no such file or directory");
  EXPECT_TRUE(fake.requests.empty());
}

// An exec plugin stand-in that counts runs and hands out numbered tokens.
struct CountingPlugin {
  int runs = 0;
  std::string expiry;  // expirationTimestamp, "" for none
  ExecCredentialProvider::Runner Runner() {
    return [this](const std::vector<std::string>&, const std::vector<std::string>&, bool) {
      ++runs;
      std::string status = R"({"token":"tok-)" + std::to_string(runs) + "\"";
      if (!expiry.empty()) status += R"(,"expirationTimestamp":")" + expiry + "\"";
      return ProcessResult{
          0, 0,
          R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":)" +
              status + "}}"};
    };
  }
};

// An AuthTransport whose exec plugin is a CountingPlugin, on a fake clock and network.
class ExecAuthTest : public ::testing::Test {
 protected:
  AuthTransport MakeAuth(const Credentials& credentials = Credentials{}) {
    ExecConfig config{"client.authentication.k8s.io/v1", "plugin", {}, {}, "Never", false, ""};
    auto exec = std::make_shared<ExecCredentialProvider>(config, ExecClusterInfo{}, false, clock_,
                                                         plugin_.Runner());
    return AuthTransport(fake_, credentials, {}, true, exec);
  }
  HttpHeaders Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  FakeClock clock_;  // starts at 2023-11-14T22:13:20Z
  CountingPlugin plugin_;
  RecordingTransport fake_;
};

TEST_F(ExecAuthTest, TokenIsCachedUntilExpiry) {
  plugin_.expiry = "2023-11-14T22:18:20Z";  // five minutes later
  AuthTransport auth = MakeAuth();
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("tok-1"));
  clock_.Advance(std::chrono::minutes(4));
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("tok-1"));
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("tok-2"));
  EXPECT_EQ(plugin_.runs, 2);
}

TEST_F(ExecAuthTest, PluginRunsAgainAfterA401) {
  AuthTransport auth = MakeAuth();
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("tok-1"));
  fake_.responses.push_back(Respond(401));
  HttpResponse rejected = auth.RoundTrip({.method = "GET", .url = "https://k/api"});
  EXPECT_EQ(rejected.status, 401);  // returned, not retried
  EXPECT_EQ(fake_.requests.size(), 2u);
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("tok-2"));
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("tok-2"));
  EXPECT_EQ(plugin_.runs, 2);
}

TEST_F(ExecAuthTest, PluginIsNotRunWhenATokenIsConfigured) {
  Credentials credentials;
  credentials.token = SecretString("flag-token");
  AuthTransport auth = MakeAuth(credentials);
  EXPECT_EQ(HeadersSent(auth, fake_), Bearer("flag-token"));
  EXPECT_EQ(plugin_.runs, 0);
}

}  // namespace
}  // namespace mm::kubeapi
