#include "tests/sandbox/auth.h"

#include <algorithm>

#include "tests/sandbox/json_util.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

bool InGroup(const Identity& who, std::string_view group) {
  return std::find(who.groups.begin(), who.groups.end(), group) != who.groups.end();
}

bool ReadVerb(std::string_view verb) { return verb == "get" || verb == "list" || verb == "watch"; }

}  // namespace

void Authorizer::AddToken(std::string token, Identity identity) {
  tokens_[std::move(token)] = std::move(identity);
}

void Authorizer::AddBasic(const std::string& user, const std::string& password, Identity identity) {
  basic_[user + ":" + password] = std::move(identity);
}

mm::Result<Identity> Authorizer::Authenticate(std::string_view cert_user,
                                              const std::vector<std::string>& cert_groups,
                                              std::string_view authorization) const {
  if (!cert_user.empty()) {
    Identity who{std::string(cert_user), cert_groups, true};
    who.groups.push_back("system:authenticated");
    return who;
  }
  if (authorization.empty()) return Identity{};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.substr(0, kBearer.size()) == kBearer) {
    auto it = tokens_.find(authorization.substr(kBearer.size()));
    if (it != tokens_.end()) return it->second;
  }
  constexpr std::string_view kBasic = "Basic ";
  std::string pair;
  if (authorization.substr(0, kBasic.size()) == kBasic &&
      Base64Decode(authorization.substr(kBasic.size()), pair)) {
    auto it = basic_.find(pair);
    if (it != basic_.end()) return it->second;
  }
  return mm::Error::Api(Unauthorized());
}

bool Authorizer::Allowed(const Identity& who, const Attributes& what) const {
  if (!who.authenticated) return false;
  if (InGroup(who, "system:masters")) return true;
  if (!what.resource_request) {
    return what.verb == "get" && what.path.rfind("/sandbox/", 0) != 0;
  }
  bool review = (what.group == "authorization.k8s.io" || what.group == "authentication.k8s.io") &&
                what.resource.rfind("selfsubject", 0) == 0;
  if (review) return what.verb == "create";
  if (InGroup(who, "sandbox:viewers")) {
    return ReadVerb(what.verb) && what.resource != "secrets" && what.subresource.empty();
  }
  return false;
}

std::string Authorizer::ForbiddenMessage(const Identity& who, const Attributes& what) {
  if (!what.resource_request) {
    return "forbidden: User " + Quote(who.user) + " cannot " + what.verb + " path " +
           Quote(what.path);
  }
  std::string resource = what.resource + (what.group.empty() ? "" : "." + what.group);
  std::string subject = resource + (what.name.empty() ? "" : " " + Quote(what.name));
  std::string full = what.resource + (what.subresource.empty() ? "" : "/" + what.subresource);
  std::string scope =
      what.ns.empty() ? "at the cluster scope" : "in the namespace " + Quote(what.ns);
  return subject + " is forbidden: User " + Quote(who.user) + " cannot " + what.verb +
         " resource " + Quote(full) + " in API group " + Quote(what.group) + " " + scope;
}

std::string Authorizer::RulesJson(const Identity& who) const {
  if (InGroup(who, "system:masters")) {
    return R"({"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],)"
           R"("nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}],"incomplete":false})";
  }
  std::string rules = R"({"verbs":["create"],"apiGroups":["authorization.k8s.io"],)"
                      R"("resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]})";
  if (InGroup(who, "sandbox:viewers")) {
    rules += R"(,{"verbs":["get","list","watch"],"apiGroups":["*"],"resources":["*"]})";
  }
  return R"({"resourceRules":[)" + rules +
         R"(],"nonResourceRules":[{"verbs":["get"],"nonResourceURLs":["/api","/api/*","/apis",)"
         R"("/apis/*","/healthz","/livez","/openapi","/openapi/*","/readyz","/version","/version/"]}],)"
         R"("incomplete":false})";
}

}  // namespace sandbox
