#include "tests/sandbox/kubeconfig.h"

#include "tests/sandbox/json_util.h"

namespace sandbox {

std::string RenderKubeconfig(const KubeconfigParams& p) {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "preferences: {}\n"
         "current-context: sandbox\n"
         "clusters:\n"
         "- name: sandbox\n"
         "  cluster:\n"
         "    server: " +
         p.server +
         "\n"
         "    certificate-authority-data: " +
         Base64Encode(p.ca_pem) +
         "\n"
         "users:\n"
         "- name: sandbox-admin\n"
         "  user:\n"
         "    client-certificate-data: " +
         Base64Encode(p.admin_cert_pem) +
         "\n"
         "    client-key-data: " +
         Base64Encode(p.admin_key_pem) +
         "\n"
         "- name: sandbox-token\n"
         "  user:\n"
         "    token: " +
         p.admin_token +
         "\n"
         "- name: sandbox-viewer\n"
         "  user:\n"
         "    token: " +
         p.viewer_token +
         "\n"
         "- name: sandbox-basic\n"
         "  user:\n"
         "    username: sandbox-basic\n"
         "    password: " +
         p.basic_password +
         "\n"
         "contexts:\n"
         "- name: sandbox\n"
         "  context:\n"
         "    cluster: sandbox\n"
         "    user: sandbox-admin\n"
         "- name: sandbox-token\n"
         "  context:\n"
         "    cluster: sandbox\n"
         "    user: sandbox-token\n"
         "- name: sandbox-viewer\n"
         "  context:\n"
         "    cluster: sandbox\n"
         "    user: sandbox-viewer\n"
         "- name: sandbox-basic\n"
         "  context:\n"
         "    cluster: sandbox\n"
         "    user: sandbox-basic\n";
}

}  // namespace sandbox
