// `install operator` against a fake API server whose CRDs are not Established when applied.
#include "plugin/install/operator_install.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/kubeapi/fakes.h"

namespace mm {
namespace {

using kubeapi::testing::RecordingTransport;
using kubeapi::testing::Respond;

constexpr char kServer[] = "http://api.test";
constexpr char kCrds[] = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

// A CRD named `name` as the server holds it: Established only once it has been watched.
std::string Crd(const std::string& name, bool established) {
  return R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",)"
         R"("metadata":{"name":")" +
         name +
         R"(","resourceVersion":"7"},"status":{"conditions":[{"type":"Established",)"
         R"("status":")" +
         (established ? "True" : "False") + R"("}]}})";
}

// Every request as "METHOD path" ("WATCH path" for a watch); applies answer 201 with their body,
// CRDs without the Established condition; a CRD list holds the CRD, still not Established; its
// watch then reports it Established.
struct UnestablishedCrdServer {
  std::vector<std::string> requests;

  kubeapi::HttpResponse Serve(const kubeapi::HttpRequest& request) {
    std::string url = request.url.substr(std::string(kServer).size());
    std::string path = url.substr(0, url.find('?'));
    bool watch = url.find("watch=true") != std::string::npos;
    requests.push_back((watch ? "WATCH" : request.method) + " " + path);
    if (request.method == "PATCH") return Respond(201, request.body);
    if (path == kCrds) {
      std::string name = url.substr(url.find("metadata.name%3D") + 16);
      name = name.substr(0, name.find('&'));
      if (watch) {  // a stream: its body goes to on_body
        request.on_body(R"({"type":"MODIFIED","object":)" + Crd(name, true) + "}\n");
        return Respond(200);
      }
      return Respond(200, R"({"kind":"List","metadata":{"resourceVersion":"7"},"items":[)" +
                              Crd(name, false) + "]}");
    }
    return Respond(404, R"({"kind":"Status","status":"Failure","reason":"NotFound","code":404,
      "message":"not found"})");
  }
};

TEST(OperatorInstallTest, WaitsForEachCrdToBeEstablishedBeforeGoingOn) {
  UnestablishedCrdServer server;
  auto network = std::make_unique<RecordingTransport>();
  network->handler = [&](const kubeapi::HttpRequest& request) { return server.Serve(request); };
  kubeapi::RestConfig config;
  config.server = kServer;
  auto client = kubeapi::Client::Create(config, {}, std::move(network));
  ASSERT_TRUE(client.ok()) << client.error().message();
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  IOStreams streams{in, out, err};
  OperatorInstallSettings settings{.timeout = std::chrono::minutes(1), .timeout_text = "1m"};
  auto installed = RunOperatorInstall(**client, settings, streams);
  ASSERT_TRUE(installed.ok()) << installed.error().message();

  std::vector<std::string> want = {
      "GET /api/v1/namespaces/mattermost-operator",
      "PATCH /api/v1/namespaces/mattermost-operator",
  };
  for (const char* crd :
       {"clusterinstallations.mattermost.com", "mattermostrestoredbs.mattermost.com",
        "mattermosts.installation.mattermost.com"}) {
    want.push_back(std::string("PATCH ") + kCrds + "/" + crd);
    want.push_back(std::string("GET ") + kCrds);  // the wait: list, then watch until Established
    want.push_back(std::string("WATCH ") + kCrds);
  }
  for (const char* rest :
       {"/api/v1/namespaces/mattermost-operator/serviceaccounts/mattermost-operator",
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/mattermost-operator",
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/mattermost-operator",
        "/api/v1/namespaces/mattermost-operator/services/mattermost-operator",
        "/apis/apps/v1/namespaces/mattermost-operator/deployments/mattermost-operator"}) {
    want.push_back(std::string("PATCH ") + rest);
  }
  EXPECT_EQ(server.requests, want);
  EXPECT_EQ(err.str(), "operator v1.25.9 installed\n");
}

}  // namespace
}  // namespace mm
