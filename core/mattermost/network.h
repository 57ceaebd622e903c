#pragma once

#include <rapidjson/document.h>

#include <optional>

#include "core/mattermost/mattermost.h"

namespace mm {

// The Service `<mm>` (§3.2): NodePort for the AWS ALB, LoadBalancer (80/443) for
// useServiceLoadBalancer, else headless ClusterIP (app 8065 + metrics 8067).
rapidjson::Document BuildService(const Mattermost& mattermost);

// The Ingress `<mm>` (§3.3): the AWS ALB variant when awsLoadBalancerController is enabled, the
// nginx variant when the Ingress is enabled, std::nullopt when neither (the operator then
// deletes any Ingress `<mm>`). Also std::nullopt with useServiceLoadBalancer, where the operator
// leaves the Ingress alone (see IngressManaged).
std::optional<rapidjson::Document> BuildIngress(const Mattermost& mattermost);

// False when useServiceLoadBalancer: the operator then neither creates, updates nor deletes the
// Ingress or the IngressClass.
bool IngressManaged(const Mattermost& mattermost);

// The hosts of the nginx Ingress: primary host first, then spec.ingress.hosts without
// duplicates; empty when the primary host is empty.
std::vector<std::string> IngressHostNames(const Mattermost& mattermost);

// Drops annotations whose key contains "snippet" (any case) or whose value has \r or \n.
StringMap SanitizeIngressAnnotations(const StringMap& annotations);

// The IngressClass `<mm>` (§3.4), only for the ALB without an ingressClassName; std::nullopt
// otherwise (the operator then deletes an IngressClass `<mm>`).
std::optional<rapidjson::Document> BuildIngressClass(const Mattermost& mattermost);

}  // namespace mm
