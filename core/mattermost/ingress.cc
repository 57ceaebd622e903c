#include <algorithm>
#include <cctype>

#include "core/json_builder.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/network.h"

namespace mm {
namespace {

bool ContainsSnippet(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key.find("snippet") != std::string::npos;
}

Json Rules(const Mattermost& mattermost, const std::vector<std::string>& hosts) {
  std::vector<Json> rules;
  for (const std::string& host : hosts) {
    Json backend = Json::Object(
        {{"service",
          Json::Object({{"name", mattermost.name}, {"port", Json::Object({{"number", 8065}})}})}});
    Json path = Json::Object(
        {{"path", "/"}, {"pathType", "ImplementationSpecific"}, {"backend", std::move(backend)}});
    rules.push_back(Json::Object(
        {{"host", host}, {"http", Json::Object({{"paths", Json::Array({std::move(path)})}})}}));
  }
  return Json::Array(std::move(rules));
}

Json Ingress(const Mattermost& mattermost, const StringMap& annotations, Json spec) {
  return Json::Object({{"apiVersion", "networking.k8s.io/v1"},
                       {"kind", "Ingress"},
                       {"metadata", ChildMetadata(mattermost, mattermost.name,
                                                  ObjectLabels(mattermost), annotations)},
                       {"spec", std::move(spec)}});
}

rapidjson::Document NginxIngress(const Mattermost& mattermost) {
  StringMap annotations = {{"nginx.ingress.kubernetes.io/proxy-body-size", "1000M"}};
  std::optional<std::string> ingress_class =
      mattermost.spec.ingress ? mattermost.spec.ingress->ingress_class : std::nullopt;
  bool has_class = ingress_class.has_value();
  if (!has_class) annotations["kubernetes.io/ingress.class"] = "nginx";
  for (const auto& [key, value] : SanitizeIngressAnnotations(mattermost.IngressAnnotations())) {
    annotations[key] = value;
  }
  std::vector<std::string> hosts = IngressHostNames(mattermost);
  std::string tls_secret = mattermost.IngressTlsSecret();
  std::vector<Json> tls_hosts(hosts.begin(), hosts.end());
  Json tls = Json::If(
      !tls_secret.empty(),
      Json::Array({Json::Object({{"hosts", Json::If(!tls_hosts.empty(), Json::Array(tls_hosts))},
                                 {"secretName", tls_secret}})}));
  return Ingress(
             mattermost, annotations,
             Json::Object({{"ingressClassName", Json::If(has_class, ingress_class.value_or(""))},
                           {"tls", std::move(tls)},
                           {"rules", Json::If(!hosts.empty(), Rules(mattermost, hosts))}}))
      .BuildDocument();
}

rapidjson::Document AlbIngress(const Mattermost& mattermost) {
  const AwsLoadBalancerSpec& alb = *mattermost.spec.aws_load_balancer;
  StringMap annotations = {
      {"alb.ingress.kubernetes.io/scheme", alb.internet_facing ? "internet-facing" : "internal"}};
  if (!alb.certificate_arn.empty()) {
    annotations["alb.ingress.kubernetes.io/certificate-arn"] = alb.certificate_arn;
    annotations["alb.ingress.kubernetes.io/ssl-redirect"] = "443";
    annotations["alb.ingress.kubernetes.io/listen-ports"] = R"([{"HTTP": 80}, {"HTTPS":443}])";
  } else {
    annotations["alb.ingress.kubernetes.io/listen-ports"] = R"([{"HTTP": 8065}])";
  }
  for (const auto& [key, value] : SanitizeIngressAnnotations(alb.annotations)) {
    annotations[key] = value;
  }
  std::string class_name =
      alb.ingress_class_name.empty() ? mattermost.name : alb.ingress_class_name;
  return Ingress(
             mattermost, annotations,
             Json::Object({{"ingressClassName", class_name},
                           {"rules", Json::If(!alb.hosts.empty(), Rules(mattermost, alb.hosts))}}))
      .BuildDocument();
}

}  // namespace

StringMap SanitizeIngressAnnotations(const StringMap& annotations) {
  StringMap safe;
  for (const auto& [key, value] : annotations) {
    if (ContainsSnippet(key) || value.find_first_of("\r\n") != std::string::npos) continue;
    safe.emplace(key, value);
  }
  return safe;
}

std::vector<std::string> IngressHostNames(const Mattermost& mattermost) {
  const std::string& primary = mattermost.IngressHost();
  if (primary.empty()) return {};
  std::vector<std::string> hosts = {primary};
  if (!mattermost.spec.ingress) return hosts;
  for (const std::string& host : mattermost.spec.ingress->hosts) {
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) hosts.push_back(host);
  }
  return hosts;
}

bool IngressManaged(const Mattermost& mattermost) {
  return !mattermost.spec.use_service_load_balancer;
}

std::optional<rapidjson::Document> BuildIngress(const Mattermost& mattermost) {
  if (!IngressManaged(mattermost)) return std::nullopt;
  if (mattermost.AwsLoadBalancerEnabled()) return AlbIngress(mattermost);
  if (mattermost.IngressEnabled()) return NginxIngress(mattermost);
  return std::nullopt;
}

std::optional<rapidjson::Document> BuildIngressClass(const Mattermost& mattermost) {
  if (!IngressManaged(mattermost) || !mattermost.AwsLoadBalancerEnabled() ||
      !mattermost.spec.aws_load_balancer->ingress_class_name.empty()) {
    return std::nullopt;
  }
  rapidjson::Document ingress_class =
      Json::Object(
          {{"apiVersion", "networking.k8s.io/v1"},
           {"kind", "IngressClass"},
           {"metadata", ChildMetadata(mattermost, mattermost.name, ObjectLabels(mattermost))},
           {"spec", Json::Object({{"controller", "ingress.k8s.aws/alb"}})}})
          .BuildDocument();
  // The operator sets a namespace on this cluster-scoped object; the API server drops it.
  ingress_class["metadata"].RemoveMember("namespace");
  return ingress_class;
}

}  // namespace mm
