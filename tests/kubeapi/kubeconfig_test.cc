#include "kubeapi/kubeconfig.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/temp_dir.h"

namespace mm::kubeapi {
namespace {

TEST(KubeconfigTest, ParsesEveryHonouredField) {
  const std::string text = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: certs/ca.crt
    certificate-authority-data: Y2EtcGVt
    insecure-skip-tls-verify: false
    tls-server-name: kubernetes.default.svc
    proxy-url: socks5://127.0.0.1:1080
    disable-compression: true
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: foo}
users:
- name: u1
  user:
    client-certificate: ../me.crt
    client-key: /abs/me.key
    client-key-data: a2V5
    token: abc
    tokenFile: tok
    as: someone
    as-groups: [g1, g2]
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./plugin.sh
      args: ["--foo"]
      env: [{name: MYENV, value: hello}]
      interactiveMode: Never
      provideClusterInfo: true
      installHint: install it
- name: u2
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: team-a}
)";
  auto config = ParseKubeconfig(text, "/home/me/.kube/config");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->current_context, "dev");
  const ClusterEntry& cluster = config->clusters.at("c1");
  EXPECT_EQ(cluster.server, "https://10.0.0.1:6443");
  EXPECT_EQ(cluster.certificate_authority, "/home/me/.kube/certs/ca.crt");
  EXPECT_EQ(cluster.certificate_authority_data, "ca-pem");
  EXPECT_EQ(cluster.tls_server_name, "kubernetes.default.svc");
  EXPECT_EQ(cluster.proxy_url, "socks5://127.0.0.1:1080");
  EXPECT_TRUE(cluster.disable_compression);
  EXPECT_EQ(cluster.exec_extension_json, R"({"audience":"foo"})");
  const AuthInfoEntry& user = config->users.at("u1");
  EXPECT_EQ(user.client_certificate, "/home/me/me.crt");
  EXPECT_EQ(user.client_key, "/abs/me.key");
  EXPECT_EQ(user.client_key_data.Reveal(), "key");
  EXPECT_EQ(user.token.Reveal(), "abc");
  EXPECT_EQ(user.token_file, "/home/me/.kube/tok");
  EXPECT_EQ(user.impersonate, "someone");
  EXPECT_EQ(user.impersonate_groups, (std::vector<std::string>{"g1", "g2"}));
  ASSERT_TRUE(user.exec.has_value());
  EXPECT_EQ(*user.exec, (ExecConfig{"client.authentication.k8s.io/v1",
                                    "/home/me/.kube/plugin.sh",
                                    {"--foo"},
                                    {{"MYENV", "hello"}},
                                    "Never",
                                    true,
                                    "install it"}));
  // A bare command is looked up in PATH, so it is not resolved.
  EXPECT_EQ(config->users.at("u2").exec->command, "aws");
  EXPECT_EQ(config->contexts.at("dev"), (ContextEntry{"c1", "u1", "team-a"}));
}

TEST(KubeconfigTest, EmptyFileIsAnEmptyConfig) {
  auto config = ParseKubeconfig("", "/tmp/empty.yaml");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->Empty());
}

TEST(KubeconfigTest, MalformedFilesNameTheFileAndTheProblem) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"clusters: 3\n", "error loading config file \"/k/c.yaml\": clusters: expected a list"},
      {"clusters:\n- name: a\n  cluster: {server: [1]}\n",
       "error loading config file \"/k/c.yaml\": clusters[0].cluster.server: expected a string"},
      {"clusters:\n- name: a\n  cluster: {insecure-skip-tls-verify: maybe}\n",
       "error loading config file \"/k/c.yaml\": clusters[0].cluster.insecure-skip-tls-verify: "
       "expected true or false"},
      {"users:\n- name: a\n  user: {client-key-data: '!!!'}\n",
       "error loading config file \"/k/c.yaml\": users[0].user.client-key-data: illegal base64 "
       "data"},
      {"users:\n- name: a\n  user: {as-groups: a}\n",
       "error loading config file \"/k/c.yaml\": users[0].user.as-groups: expected a list of "
       "strings"},
      {"contexts:\n- name: a\n  context: 7\n",
       "error loading config file \"/k/c.yaml\": contexts[0].context: expected a mapping"},
  };
  for (const Case& c : cases) {
    auto config = ParseKubeconfig(c.text, "/k/c.yaml");
    ASSERT_FALSE(config.ok()) << c.text;
    EXPECT_EQ(config.error().kind(), ErrorKind::kConfig);
    EXPECT_EQ(config.error().message(), c.error) << c.text;
  }
  auto bad_yaml = ParseKubeconfig("apiVersion: v1\nclusters: [\n  - a: b:\n", "bad.yaml");
  ASSERT_FALSE(bad_yaml.ok());
  EXPECT_EQ(bad_yaml.error().message(),
            "error loading config file \"bad.yaml\": yaml: line 3, column 3: illegal block entry");
}

TEST(KubeconfigTest, MergeKeepsTheFirstEntryWholeAndTheFirstCurrentContext) {
  Kubeconfig merged;
  Kubeconfig first;
  first.users["u1"].token = SecretString("a");
  Kubeconfig second;
  second.current_context = "from-second";
  second.users["u1"].token = SecretString("b");
  second.users["u1"].username = "x";
  second.users["u2"].username = "y";
  Kubeconfig third;
  third.current_context = "from-third";
  MergeKubeconfig(merged, std::move(first));
  MergeKubeconfig(merged, std::move(second));
  MergeKubeconfig(merged, std::move(third));
  EXPECT_EQ(merged.current_context, "from-second");
  EXPECT_EQ(merged.users.at("u1").token.Reveal(), "a");
  EXPECT_EQ(merged.users.at("u1").username, "");  // no field-level merge
  EXPECT_EQ(merged.users.at("u2").username, "y");
}

}  // namespace
}  // namespace mm::kubeapi
