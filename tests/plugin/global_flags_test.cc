#include "plugin/global_flags.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

TEST(GlobalFlagsTest, FlagsThatTakeAValueAreReadFromTheDeclarations) {
  for (const char* flag :
       {"--kubeconfig", "--context", "--cluster", "--user", "-n", "--namespace", "-s", "--server",
        "--token", "--as", "--as-group", "--certificate-authority", "--client-certificate",
        "--client-key", "--tls-server-name", "--request-timeout", "-v"}) {
    EXPECT_TRUE(GlobalFlagTakesValue(flag)) << flag;
  }
  for (const char* flag :
       {"--insecure-skip-tls-verify", "--namespace=x", "--bogus", "-x", "n", "--n", "status"}) {
    EXPECT_FALSE(GlobalFlagTakesValue(flag)) << flag;
  }
}

TEST(GlobalFlagsTest, ConnectionFlagsFillTheKubeapiOverrides) {
  GlobalFlags flags;
  cxxopts::Options options("test");
  AddGlobalFlags(options, flags);
  const char* argv[] = {"test",         "-n", "ns",         "--as", "alice",
                        "--as-group",   "a",  "--as-group", "b",    "--insecure-skip-tls-verify",
                        "--kubeconfig", "k",  "-v",         "6"};
  options.parse(static_cast<int>(std::size(argv)), argv);
  EXPECT_EQ(flags.overrides.namespace_name, "ns");
  EXPECT_EQ(flags.overrides.impersonate, "alice");
  EXPECT_EQ(flags.overrides.impersonate_groups, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(flags.overrides.insecure_skip_tls_verify);
  EXPECT_EQ(flags.overrides.request_timeout, "0");
  EXPECT_EQ(flags.kubeconfig, "k");
  EXPECT_EQ(flags.verbosity, 6);
}

}  // namespace
}  // namespace mm
