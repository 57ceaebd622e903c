#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sandbox {

// Who is asking. `authenticated` is false for anonymous requests.
struct Identity {
  std::string user = "system:anonymous";
  std::vector<std::string> groups = {"system:unauthenticated"};
  bool authenticated = false;
};

// What is being done, in RBAC terms.
struct Attributes {
  std::string verb;  // get, list, watch, create, update, patch, delete, deletecollection
  std::string group;
  std::string resource;
  std::string subresource;
  std::string ns;
  std::string name;
  std::string path;  // for non-resource requests
  bool resource_request = true;
};

// The sandbox's fixed authorization policy: members of system:masters may do anything; members of
// sandbox:viewers have the built-in "view" role (read everything but secrets); every
// authenticated user may create self-reviews and read discovery.
class Authorizer {
 public:
  // Static bearer tokens and who they stand for.
  void AddToken(std::string token, Identity identity);
  // A basic-auth user (Authorization: Basic base64(user:password)) and who it stands for.
  void AddBasic(const std::string& user, const std::string& password, Identity identity);

  // The identity from a verified client certificate (cert_user non-empty), a bearer token or basic
  // auth. Fails with 401 when an Authorization header carries unknown credentials.
  mm::Result<Identity> Authenticate(std::string_view cert_user,
                                    const std::vector<std::string>& cert_groups,
                                    std::string_view authorization) const;
  bool Allowed(const Identity& who, const Attributes& what) const;
  // kube-apiserver's 403 message for `what`.
  static std::string ForbiddenMessage(const Identity& who, const Attributes& what);
  // The resource rules of `who`, as a SelfSubjectRulesReview status (JSON object text).
  std::string RulesJson(const Identity& who) const;

 private:
  std::map<std::string, Identity, std::less<>> tokens_;
  std::map<std::string, Identity, std::less<>> basic_;  // by "user:password"
};

}  // namespace sandbox
