#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plugin/command.h"

namespace mm {
namespace {

class FactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("factory-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "home/.kube");
    std::ofstream(dir_ / "home/.kube/config") << "current-context: dev\n"
                                                 "clusters:\n- name: c\n  cluster: {server: "
                                                 "https://home:6443, certificate-authority-data: "
                                                 "Y2E=}\n"
                                                 "users:\n- name: u\n  user: {token: t}\n"
                                                 "contexts:\n- name: dev\n  context: {cluster: c, "
                                                 "user: u, namespace: team}\n";
    factory_.loading_rules = kubeapi::LoadingRules{"", "", (dir_ / "home").string()};
    factory_.in_cluster = kubeapi::InClusterEnvironment{};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  Factory factory_;
};

TEST_F(FactoryTest, FlagsOverrideTheHomeKubeconfig) {
  factory_.flags.overrides.namespace_name = "ns";
  factory_.flags.overrides.server = "https://other:1";
  factory_.flags.overrides.request_timeout = "5s";
  auto rest = factory_.ToRestConfig();
  ASSERT_TRUE(rest.ok()) << rest.error().message();
  EXPECT_EQ(rest->server, "https://other:1");
  EXPECT_EQ(rest->namespace_name, "ns");
  EXPECT_TRUE(rest->namespace_explicit);
  EXPECT_EQ(rest->credentials.token.Reveal(), "t");
  EXPECT_EQ(rest->request_timeout.count(), 5000);
}

TEST(GlobalFlagsTest, BasicAuthImpersonationAndCacheDirFlags) {
  GlobalFlags flags;
  cxxopts::Options options("test");
  AddGlobalFlags(options, flags);
  // Repeated keys collect values; a value keeps any further '='; no '=' is ignored (kubectl).
  const char* argv[] = {"test",
                        "--username",
                        "alice",
                        "--password=pw",
                        "--as",
                        "admin",
                        "--as-uid",
                        "1234",
                        "--as-user-extra",
                        "scopes=view",
                        "--as-user-extra=scopes=edit",
                        "--as-user-extra",
                        "reason=a=b",
                        "--as-user-extra",
                        "ignored",
                        "--cache-dir",
                        "/tmp/kc"};
  options.parse(static_cast<int>(std::size(argv)), argv);
  kubeapi::ConfigOverrides overrides = flags.Overrides();
  EXPECT_EQ(overrides.username, "alice");
  EXPECT_EQ(overrides.password, "pw");
  EXPECT_EQ(overrides.impersonate, "admin");
  EXPECT_EQ(overrides.impersonate_uid, "1234");
  const std::map<std::string, std::vector<std::string>> extras = {{"reason", {"a=b"}},
                                                                  {"scopes", {"view", "edit"}}};
  EXPECT_EQ(overrides.impersonate_extra, extras);
  EXPECT_EQ(flags.cache_dir, "/tmp/kc");
  for (const char* flag :
       {"--username", "--password", "--as-uid", "--as-user-extra", "--cache-dir"}) {
    EXPECT_TRUE(GlobalFlagTakesValue(flag)) << flag;
  }
}

TEST_F(FactoryTest, ErrorsAreKubectlsTexts) {
  factory_.flags.overrides.context = "nope";
  auto rest = factory_.ToRestConfig();
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.error().message(),
            "invalid configuration: context was not found for specified context: nope");

  Factory missing;
  missing.loading_rules = kubeapi::LoadingRules{};
  missing.in_cluster = kubeapi::InClusterEnvironment{};
  missing.flags.kubeconfig = "nope.yaml";
  rest = missing.ToRestConfig();
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.error().message(), "stat nope.yaml: no such file or directory");
}

}  // namespace
}  // namespace mm
