#pragma once

#include <string>

namespace sandbox {

// What the sandbox's kubeconfig offers: a client-certificate admin (current context), a
// bearer-token admin, a read-only bearer-token user and a basic-auth admin, each with its own
// context.
struct KubeconfigParams {
  std::string server;  // https://127.0.0.1:PORT
  std::string ca_pem;
  std::string admin_cert_pem;
  std::string admin_key_pem;
  std::string admin_token;
  std::string viewer_token;
  std::string basic_password;  // of user "sandbox-basic"
};

// The kubeconfig YAML text (certificates inlined as *-data fields).
std::string RenderKubeconfig(const KubeconfigParams& params);

}  // namespace sandbox
