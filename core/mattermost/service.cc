#include "core/json_builder.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/network.h"

namespace mm {
namespace {

Json Port(std::string_view name, int port, std::string_view protocol, std::string_view target) {
  return Json::Object(
      {{"name", name}, {"appProtocol", protocol}, {"port", port}, {"targetPort", target}});
}

Json AppAndMetricsPorts() {
  return Json::Array({Port("app", 8065, "http", "app"), Port("metrics", 8067, "http", "metrics")});
}

}  // namespace

rapidjson::Document BuildService(const Mattermost& mattermost) {
  Json ports;
  std::string type;
  bool headless = false;
  if (mattermost.AwsLoadBalancerEnabled()) {
    ports = AppAndMetricsPorts();
    type = "NodePort";
  } else if (mattermost.spec.use_service_load_balancer) {
    ports = Json::Array({Port("http", 80, "http", "app"), Port("https", 443, "https", "app")});
    type = "LoadBalancer";
  } else {
    ports = AppAndMetricsPorts();
    type = "ClusterIP";
    headless = true;
  }
  return Json::Object(
             {{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", ChildMetadata(mattermost, mattermost.name, ObjectLabels(mattermost),
                                         mattermost.spec.service_annotations)},
              {"spec", Json::Object({{"ports", std::move(ports)},
                                     {"selector", SelectorLabels(mattermost).ToJson()},
                                     {"clusterIP", Json::If(headless, "None")},
                                     {"type", type},
                                     {"publishNotReadyAddresses", true}})}})
      .BuildDocument();
}

}  // namespace mm
