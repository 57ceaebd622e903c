#include "tests/sandbox/validation.h"

#include <regex>

#include "tests/sandbox/crd.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

const std::regex kSubdomain(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)");
const std::regex kLabel(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?)");
const std::regex kDns1035(R"([a-z]([-a-z0-9]*[a-z0-9])?)");

void Required(std::vector<mm::StatusCause>& errors, const std::string& field) {
  errors.push_back(Cause("FieldValueRequired", field, "Required value"));
}

}  // namespace

void ValidateName(const ResourceType& type, const std::string& name,
                  std::vector<mm::StatusCause>& errors) {
  if (name.empty()) {
    errors.push_back(Cause("FieldValueRequired", "metadata.name",
                           "Required value: name or generateName is required"));
    return;
  }
  auto invalid = [&](const std::string& detail) {
    errors.push_back(
        Cause("FieldValueInvalid", "metadata.name", InvalidValue(Quote(name), detail)));
  };
  if (type.plural == "namespaces") {
    if (name.size() > 63) invalid("must be no more than 63 characters");
    if (!std::regex_match(name, kLabel)) {
      invalid(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
          "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
          "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }
    return;
  }
  if (type.plural == "services" && type.group.empty()) {
    if (name.size() > 63) invalid("must be no more than 63 characters");
    if (!std::regex_match(name, kDns1035)) {
      invalid(
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
          "with an alphabetic character, and end with an alphanumeric character (e.g. "
          "'my-name',  or 'abc-123', regex used for validation is "
          "'[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    return;
  }
  if (type.group == "rbac.authorization.k8s.io") {
    if (name == "." || name == ".." || name.find_first_of("/%") != std::string::npos) {
      invalid("may not contain '/' or '%'");
    }
    return;
  }
  if (name.size() > 253) invalid("must be no more than 253 characters");
  if (!std::regex_match(name, kSubdomain)) {
    invalid(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
        "'-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
}

void ValidateKind(const ResourceType& type, const Json& object,
                  std::vector<mm::StatusCause>& errors) {
  if (type.custom) return;
  auto check_containers = [&](const Json* containers, const std::string& field) {
    if (containers == nullptr || !containers->IsArray() || containers->Empty()) {
      Required(errors, field);
      return;
    }
    for (rapidjson::SizeType i = 0; i < containers->Size(); ++i) {
      std::string prefix = field + "[" + std::to_string(i) + "]";
      if (Str((*containers)[i], "name").empty()) Required(errors, prefix + ".name");
      if (Str((*containers)[i], "image").empty()) Required(errors, prefix + ".image");
    }
  };
  if (type.plural == "pods" && type.group.empty()) {
    check_containers(AtPath(object, "spec.containers"), "spec.containers");
  } else if (type.group == "apps" && type.plural != "daemonsets") {
    if (AtPath(object, "spec.selector") == nullptr) Required(errors, "spec.selector");
    check_containers(AtPath(object, "spec.template.spec.containers"),
                     "spec.template.spec.containers");
    const Json* replicas = AtPath(object, "spec.replicas");
    if (replicas && replicas->IsInt64() && replicas->GetInt64() < 0) {
      errors.push_back(Cause("FieldValueInvalid", "spec.replicas",
                             InvalidValue(std::to_string(replicas->GetInt64()),
                                          "must be greater than or equal to 0")));
    }
  } else if (type.group == "apiextensions.k8s.io") {
    for (auto& cause : ValidateCrd(object)) errors.push_back(std::move(cause));
  }
}

void ApplyDefaults(const ResourceType& type, rapidjson::Document& object, const std::string& now,
                   std::mt19937_64& random) {
  (void)now;
  Alloc& alloc = object.GetAllocator();
  if (type.custom || !(type.group.empty() || type.group == "apps")) return;
  const std::string& p = type.plural;
  if (p == "namespaces") {
    Json finalizers(rapidjson::kArrayType);
    finalizers.PushBack("kubernetes", alloc);
    Set(Child(object, "spec", alloc), "finalizers", finalizers, alloc);
    SetString(Child(object, "status", alloc), "phase", "Active", alloc);
  } else if (p == "pods") {
    SetString(Child(object, "status", alloc), "phase", "Pending", alloc);
    SetString(Child(object, "status", alloc), "qosClass", "BestEffort", alloc);
  } else if (p == "secrets" && Str(object, "type").empty()) {
    SetString(object, "type", "Opaque", alloc);
  } else if (p == "services") {
    Json& spec = Child(object, "spec", alloc);
    if (Str(spec, "type").empty()) SetString(spec, "type", "ClusterIP", alloc);
    if (Str(spec, "clusterIP").empty()) {
      std::string ip =
          "10.96." + std::to_string(random() % 254 + 1) + "." + std::to_string(random() % 254 + 1);
      SetString(spec, "clusterIP", ip, alloc);
      Json ips(rapidjson::kArrayType);
      ips.PushBack(Json(ip.c_str(), alloc), alloc);
      Set(spec, "clusterIPs", ips, alloc);
    }
    if (Json* ports = MutableMember(spec, "ports"); ports && ports->IsArray()) {
      for (auto& port : ports->GetArray()) {
        if (Str(port, "protocol").empty()) SetString(port, "protocol", "TCP", alloc);
        if (!Member(port, "targetPort") && Member(port, "port")) {
          Set(port, "targetPort", *Member(port, "port"), alloc);
        }
      }
    }
  } else if (p == "deployments" || p == "statefulsets" || p == "replicasets") {
    Json& spec = Child(object, "spec", alloc);
    if (!Member(spec, "replicas")) SetInt(spec, "replicas", 1, alloc);
  }
}

}  // namespace sandbox
