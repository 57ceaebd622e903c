#include "kubeapi/auth_transport.h"

#include "kubeapi/base64.h"

namespace mm::kubeapi {
namespace {

HttpResponse CredentialFailure(const Error& error) {
  HttpResponse response;
  response.failure = NetworkFailure::kOther;
  response.failure_message = error.message().rfind("Unable to connect", 0) == 0
                                 ? error.message()
                                 : "Unable to connect to the server: " + error.message();
  return response;
}

}  // namespace

AuthTransport::AuthTransport(Transport& next, const Credentials& credentials,
                             Impersonation impersonation, bool attach_credentials,
                             std::shared_ptr<ExecCredentialProvider> exec)
    : next_(next),
      token_(credentials.token),
      impersonation_(std::move(impersonation)),
      attach_credentials_(attach_credentials),
      exec_(std::move(exec)) {
  if (!credentials.token_file.empty()) {
    token_file_ = std::make_unique<TokenFileSource>(credentials.token_file);
  }
  if (!credentials.username.empty() || !credentials.password.empty()) {
    std::string pair = credentials.username + ":" + credentials.password.Reveal();
    basic_ = SecretString("Basic " + Base64Encode(pair));
    ZeroString(pair);
  }
}

HttpResponse AuthTransport::RoundTrip(const HttpRequest& original) {
  HttpRequest request = original;
  SecretString exec_token;
  if (attach_credentials_) {
    SecretString bearer = token_;
    if (token_file_) {
      Result<SecretString> token = token_file_->Token();
      if (!token) return CredentialFailure(token.error());
      bearer = std::move(*token);
    }
    if (bearer.empty() && basic_.empty() && exec_) {
      Result<ExecCredential> credential = exec_->Get();
      if (!credential) return CredentialFailure(credential.error());
      exec_token = credential->token;
      bearer = credential->token;
      if (credential->identity) request.identity = credential->identity;
    }
    if (!bearer.empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + bearer.Reveal());
    } else if (!basic_.empty()) {
      request.headers.emplace_back("Authorization", basic_.Reveal());
    }
  }
  if (!impersonation_.user.empty())
    request.headers.emplace_back("Impersonate-User", impersonation_.user);
  if (!impersonation_.uid.empty())
    request.headers.emplace_back("Impersonate-Uid", impersonation_.uid);
  for (const std::string& group : impersonation_.groups) {
    request.headers.emplace_back("Impersonate-Group", group);
  }
  for (const auto& [key, values] : impersonation_.extra) {
    for (const std::string& value : values) {
      request.headers.emplace_back("Impersonate-Extra-" + key, value);
    }
  }
  HttpResponse response = next_.RoundTrip(request);
  if (response.status == 401 && exec_) exec_->InvalidateAfterUnauthorized(exec_token);
  // The copy held the Authorization value: zero it.
  for (auto& [name, value] : request.headers) {
    if (name == "Authorization") ZeroString(value);
  }
  return response;
}

}  // namespace mm::kubeapi
