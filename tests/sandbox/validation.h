#pragma once

#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "tests/sandbox/resources.h"

namespace sandbox {

// metadata.name rules per kind (DNS-1123 subdomain by default, DNS-1123 label for namespaces,
// DNS-1035 label for services), with kube-apiserver's messages. Appends to `errors`.
void ValidateName(const ResourceType& type, const std::string& name,
                  std::vector<mm::StatusCause>& errors);
// The few per-kind rules clients trip over (pods need containers with name and image,
// deployments need a selector and a pod template, CRDs are checked by ValidateCrd).
void ValidateKind(const ResourceType& type, const Json& object,
                  std::vector<mm::StatusCause>& errors);
// The update rules of kube-apiserver the plugin must respect: a PersistentVolumeClaim's spec is
// immutable except resources.requests (and volumeAttributesClassName). Appends to `errors`.
void ValidateUpdate(const ResourceType& type, const Json& object, const Json& old,
                    std::vector<mm::StatusCause>& errors);
// kube-apiserver's defaulting for the built-in kinds clients write most: pod templates
// (restartPolicy, dnsPolicy, container imagePullPolicy, ports' protocol, ...), deployment
// strategy and limits, services (type, cluster IP, port protocol and targetPort), secret type,
// job parallelism. `create` adds what only creation sets (pod phase, namespace phase and
// finalizers, a cluster IP).
void ApplyDefaults(const ResourceType& type, rapidjson::Document& object, bool create,
                   std::mt19937_64& random);

}  // namespace sandbox
