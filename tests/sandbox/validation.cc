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

void ValidateUpdate(const ResourceType& type, const Json& object, const Json& old,
                    std::vector<mm::StatusCause>& errors) {
  if (type.plural != "persistentvolumeclaims" || !type.group.empty()) return;
  // As kube-apiserver: spec.volumeName may be set once, when the claim is bound.
  const Json* old_spec = Member(old, "spec");
  const bool unbound = old_spec == nullptr || Str(*old_spec, "volumeName").empty();
  auto mutable_stripped = [unbound](const Json& claim) {
    rapidjson::Document spec(rapidjson::kObjectType);
    if (const Json* found = Member(claim, "spec")) spec.CopyFrom(*found, spec.GetAllocator());
    if (Json* resources = MutableMember(spec, "resources")) Remove(*resources, "requests");
    Remove(spec, "volumeAttributesClassName");
    if (unbound) Remove(spec, "volumeName");
    return spec;
  };
  if (mutable_stripped(object) != mutable_stripped(old)) {
    errors.push_back(Cause("FieldValueForbidden", "spec",
                           "Forbidden: spec is immutable after creation except resources.requests "
                           "and volumeAttributesClassName for bound claims"));
  }
}

namespace {

void Default(Json& object, const char* name, const Json& value, Alloc& alloc) {
  if (Member(object, name) == nullptr) Set(object, name, value, alloc);
}
void DefaultString(Json& object, const char* name, const char* value, Alloc& alloc) {
  Default(object, name, Json(rapidjson::StringRef(value)), alloc);
}

void DefaultContainers(Json* containers, Alloc& alloc) {
  if (containers == nullptr || !containers->IsArray()) return;
  for (auto& c : containers->GetArray()) {
    if (!c.IsObject()) continue;
    std::string image = Str(c, "image");
    std::string tag = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/'));
    bool latest = tag.find(':') == std::string::npos || image.ends_with(":latest");
    if (image.find('@') != std::string::npos) latest = false;
    DefaultString(c, "imagePullPolicy", latest ? "Always" : "IfNotPresent", alloc);
    DefaultString(c, "terminationMessagePath", "/dev/termination-log", alloc);
    DefaultString(c, "terminationMessagePolicy", "File", alloc);
    Default(c, "resources", Json(rapidjson::kObjectType), alloc);
    if (Json* ports = MutableMember(c, "ports"); ports && ports->IsArray()) {
      for (auto& port : ports->GetArray()) {
        if (port.IsObject()) DefaultString(port, "protocol", "TCP", alloc);
      }
    }
  }
}

void DefaultPodSpec(Json* spec, Alloc& alloc, bool job) {
  if (spec == nullptr || !spec->IsObject()) return;
  if (!job) DefaultString(*spec, "restartPolicy", "Always", alloc);
  DefaultString(*spec, "dnsPolicy", "ClusterFirst", alloc);
  DefaultString(*spec, "schedulerName", "default-scheduler", alloc);
  Default(*spec, "securityContext", Json(rapidjson::kObjectType), alloc);
  Default(*spec, "terminationGracePeriodSeconds", Json(30), alloc);
  DefaultContainers(MutableMember(*spec, "containers"), alloc);
  DefaultContainers(MutableMember(*spec, "initContainers"), alloc);
}

Json* PodTemplateSpec(Json& object) {
  Json* spec = MutableMember(object, "spec");
  Json* template_ = spec ? MutableMember(*spec, "template") : nullptr;
  return template_ ? MutableMember(*template_, "spec") : nullptr;
}

void DefaultWorkload(const std::string& p, rapidjson::Document& object, Alloc& alloc) {
  Json& spec = Child(object, "spec", alloc);
  if (p == "deployments") {
    Default(spec, "replicas", Json(1), alloc);
    Default(spec, "revisionHistoryLimit", Json(10), alloc);
    Default(spec, "progressDeadlineSeconds", Json(600), alloc);
    Json& strategy = Child(spec, "strategy", alloc);
    DefaultString(strategy, "type", "RollingUpdate", alloc);
    if (Str(strategy, "type") == "RollingUpdate") {
      Json& rolling = Child(strategy, "rollingUpdate", alloc);
      DefaultString(rolling, "maxUnavailable", "25%", alloc);
      DefaultString(rolling, "maxSurge", "25%", alloc);
    }
  } else if (p == "statefulsets") {
    Default(spec, "replicas", Json(1), alloc);
    Default(spec, "revisionHistoryLimit", Json(10), alloc);
    DefaultString(spec, "podManagementPolicy", "OrderedReady", alloc);
    Json& strategy = Child(spec, "updateStrategy", alloc);
    DefaultString(strategy, "type", "RollingUpdate", alloc);
  } else if (p == "replicasets") {
    Default(spec, "replicas", Json(1), alloc);
  } else if (p == "daemonsets") {
    Default(spec, "revisionHistoryLimit", Json(10), alloc);
  } else if (p == "jobs") {
    Default(spec, "parallelism", Json(1), alloc);
    Default(spec, "completions", Json(1), alloc);
    Default(spec, "backoffLimit", Json(6), alloc);
    DefaultString(spec, "completionMode", "NonIndexed", alloc);
    Default(spec, "suspend", Json(false), alloc);
  }
  DefaultPodSpec(PodTemplateSpec(object), alloc, p == "jobs");
}

}  // namespace

void ApplyDefaults(const ResourceType& type, rapidjson::Document& object, bool create,
                   std::mt19937_64& random) {
  Alloc& alloc = object.GetAllocator();
  if (type.custom) return;
  const std::string& p = type.plural;
  if (type.group == "apps" || (type.group == "batch" && p == "jobs")) {
    DefaultWorkload(p, object, alloc);
    return;
  }
  if (!type.group.empty()) return;
  if (p == "namespaces" && create) {
    Json finalizers(rapidjson::kArrayType);
    finalizers.PushBack("kubernetes", alloc);
    Set(Child(object, "spec", alloc), "finalizers", finalizers, alloc);
    SetString(Child(object, "status", alloc), "phase", "Active", alloc);
  } else if (p == "pods") {
    DefaultPodSpec(MutableMember(object, "spec"), alloc, false);
    if (create) {
      SetString(Child(object, "status", alloc), "phase", "Pending", alloc);
      SetString(Child(object, "status", alloc), "qosClass", "BestEffort", alloc);
    }
  } else if (p == "secrets" && Str(object, "type").empty()) {
    SetString(object, "type", "Opaque", alloc);
  } else if (p == "services") {
    Json& spec = Child(object, "spec", alloc);
    DefaultString(spec, "type", "ClusterIP", alloc);
    DefaultString(spec, "sessionAffinity", "None", alloc);
    if (Str(spec, "clusterIP").empty() && create && Str(spec, "type") != "ExternalName") {
      std::string ip =
          "10.96." + std::to_string(random() % 254 + 1) + "." + std::to_string(random() % 254 + 1);
      SetString(spec, "clusterIP", ip, alloc);
      Json ips(rapidjson::kArrayType);
      ips.PushBack(Json(ip.c_str(), alloc), alloc);
      Set(spec, "clusterIPs", ips, alloc);
    }
    if (Json* ports = MutableMember(spec, "ports"); ports && ports->IsArray()) {
      for (auto& port : ports->GetArray()) {
        DefaultString(port, "protocol", "TCP", alloc);
        if (const Json* number = Member(port, "port")) Default(port, "targetPort", *number, alloc);
      }
    }
  }
}

}  // namespace sandbox
