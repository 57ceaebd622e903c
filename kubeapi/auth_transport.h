#pragma once

#include <memory>

#include "kubeapi/exec_credential.h"
#include "kubeapi/http.h"
#include "kubeapi/rest_config.h"
#include "kubeapi/token_file_source.h"

namespace mm::kubeapi {

// Adds credentials and impersonation headers to every request (client-go's HTTPWrappersForConfig):
// Authorization from tokenFile (re-read on change, wins over token), token, basic auth or an exec
// plugin; the exec plugin's client certificate as the request's TLS identity; Impersonate-*
// headers. Credentials are attached only when `attach_credentials` (the server URL is https), as
// kubectl never sends them in clear text. After a 401 to an exec-plugin token the plugin is run
// again for the next request; the failed request is returned as is.
class AuthTransport : public Transport {
 public:
  // `next` must outlive this object; `exec` may be null.
  AuthTransport(Transport& next, const Credentials& credentials, Impersonation impersonation,
                bool attach_credentials, std::shared_ptr<ExecCredentialProvider> exec);
  HttpResponse RoundTrip(const HttpRequest& request) override;

 private:
  Transport& next_;
  SecretString token_;
  std::unique_ptr<TokenFileSource> token_file_;
  SecretString basic_;  // "Basic base64(user:password)"
  Impersonation impersonation_;
  bool attach_credentials_;
  std::shared_ptr<ExecCredentialProvider> exec_;
};

}  // namespace mm::kubeapi
