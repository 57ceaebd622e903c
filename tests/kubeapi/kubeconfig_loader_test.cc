#include "kubeapi/kubeconfig_loader.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/temp_dir.h"

namespace mm::kubeapi {
namespace {

using testing::TempDir;

TEST(KubeconfigLoaderTest, PrecedenceOfFiles) {
  struct Case {
    LoadingRules rules;
    std::vector<std::string> files;
  };
  const Case cases[] = {
      {{"/x/explicit", "/a:/b", "/home/me"}, {"/x/explicit"}},
      {{"", "/a:/b::/a:/c", "/home/me"}, {"/a", "/b", "/c"}},
      {{"", "", "/home/me"}, {"/home/me/.kube/config"}},
      {{"", "", ""}, {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(KubeconfigPrecedence(c.rules), c.files) << c.rules.kubeconfig_env;
  }
}

// Files used by the merge table: a and b both define user u1; c and b set current-context.
class KubeconfigMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("a.yaml",
               "users:\n- name: u1\n  user: {token: a}\nclusters:\n- name: c1\n  cluster: "
               "{server: https://a}\n");
    dir_.Write("b.yaml",
               "current-context: from-b\nusers:\n- name: u1\n  user: {token: b, username: x}\n"
               "- name: u2\n  user: {token: b2}\ncontexts:\n- name: from-b\n  context: {cluster: "
               "c1}\n");
    dir_.Write("c.yaml", "current-context: from-c\n");
    dir_.Write("bad.yaml", "clusters: [\n  - a: b:\n");
    dir_.Write("home/.kube/config", "current-context: from-home\n");
  }
  std::string Env(std::initializer_list<std::string> names) {
    std::string env;
    for (const std::string& name : names) env += (env.empty() ? "" : ":") + dir_.Path(name);
    return env;
  }
  TempDir dir_;
};

TEST_F(KubeconfigMergeTest, FirstFileWinsPerEntryAndForCurrentContext) {
  auto config = LoadKubeconfig({"", Env({"c.yaml", "a.yaml", "b.yaml"}), dir_.Path("home")});
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->current_context, "from-c");
  EXPECT_EQ(config->users.at("u1").token.Reveal(), "a");
  EXPECT_EQ(config->users.at("u1").username, "");
  EXPECT_EQ(config->users.at("u2").token.Reveal(), "b2");
  EXPECT_EQ(config->clusters.at("c1").server, "https://a");
  EXPECT_EQ(config->contexts.count("from-b"), 1u);
}

TEST_F(KubeconfigMergeTest, Cases) {
  struct Case {
    std::string name;
    LoadingRules rules;
    std::string current_context;  // expected, when no error
    std::string error;            // expected error message, "" for success
  };
  const std::string home = dir_.Path("home");
  const Case cases[] = {
      {"missing KUBECONFIG entries are skipped",
       {"", Env({"nope1", "b.yaml", "nope2"}), home},
       "from-b",
       ""},
      {"all KUBECONFIG entries missing: empty config", {"", Env({"nope1", "nope2"}), home}, "", ""},
      {"KUBECONFIG set: home is not read", {"", Env({"a.yaml"}), home}, "", ""},
      {"no KUBECONFIG: home config", {"", "", home}, "from-home", ""},
      {"no KUBECONFIG and no home config", {"", "", dir_.Path("nohome")}, "", ""},
      {"explicit file only, KUBECONFIG ignored",
       {dir_.Path("c.yaml"), Env({"b.yaml"}), home},
       "from-c",
       ""},
      {"explicit file must exist",
       {dir_.Path("nope.yaml"), "", home},
       "",
       "stat " + dir_.Path("nope.yaml") + ": no such file or directory"},
      {"relative explicit file must exist",
       {"nope.yaml", "", home},
       "",
       "stat nope.yaml: no such file or directory"},
      {"malformed file in KUBECONFIG is an error",
       {"", Env({"b.yaml", "bad.yaml"}), home},
       "",
       "error loading config file \"" + dir_.Path("bad.yaml") +
           "\": yaml: line 2, column 3: illegal block entry"},
      {"a directory is unreadable",
       {"", Env({"home"}), home},
       "",
       "error loading config file \"" + home + "\": read " + home + ": is a directory"},
  };
  for (const Case& c : cases) {
    auto config = LoadKubeconfig(c.rules);
    if (c.error.empty()) {
      ASSERT_TRUE(config.ok()) << c.name << ": " << config.error().message();
      EXPECT_EQ(config->current_context, c.current_context) << c.name;
    } else {
      ASSERT_FALSE(config.ok()) << c.name;
      EXPECT_EQ(config.error().kind(), ErrorKind::kConfig) << c.name;
      EXPECT_EQ(config.error().message(), c.error) << c.name;
    }
  }
}

}  // namespace
}  // namespace mm::kubeapi
