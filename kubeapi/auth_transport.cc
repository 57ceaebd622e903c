#include "kubeapi/auth_transport.h"

#include <string_view>

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

// True for the bytes RFC 7230 allows in a header name (a "token"), except '%'.
bool LegalHeaderNameByte(unsigned char byte) {
  static constexpr std::string_view kSymbols = "!#$&'*+-.^_`|~";
  bool alnum =
      (byte >= '0' && byte <= '9') || (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z');
  return alnum || kSymbols.find(static_cast<char>(byte)) != kSymbols.npos;
}

// Returns `key` with every byte that may not appear in a header name, and '%', percent-encoded
// (client-go's headerKeyEscape), so `Impersonate-Extra-<key>` survives any key, e.g. a URL.
std::string EscapeHeaderKey(const std::string& key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : key) {
    auto byte = static_cast<unsigned char>(c);
    if (LegalHeaderNameByte(byte)) {
      out.push_back(c);
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 0xF]};
    }
  }
  return out;
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
      request.headers.emplace_back("Impersonate-Extra-" + EscapeHeaderKey(key), value);
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
