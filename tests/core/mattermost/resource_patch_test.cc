// §3.1.5: resource patches accepted and rejected, with the operator's messages.
#include "core/mattermost/resource_patch.h"

#include <gtest/gtest.h>

#include "core/mattermost/deployment.h"
#include "core/mattermost/network.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::DefaultedWithSpec;

Mattermost WithPatch(const char* kind, const std::string& patch, bool disable = false) {
  return DefaultedWithSpec(std::string("  ingressName: h\n  resourcePatch:\n    ") + kind +
                           ":\n      disable: " + (disable ? "true" : "false") +
                           "\n      patch: '" + patch + "'\n");
}

TEST(ResourcePatchTest, DeploymentPatches) {
  struct Case {
    std::string patch;
    std::optional<PatchStatus> status;
    std::string ports;  // the main container's ports afterwards
  };
  const std::string ours =
      R"([{"name":"app","containerPort":8065},{"name":"metrics","containerPort":8067}])";
  const Case kCases[] = {
      // V6: the operator's test adds a UDP port.
      {R"([{"op":"add","path":"/spec/template/spec/containers/0/ports/-","value":{"name":"calls","containerPort":8443,"protocol":"UDP"}}])",
       PatchStatus{true, ""},
       R"([{"name":"app","containerPort":8065},{"name":"metrics","containerPort":8067},{"name":"calls","containerPort":8443,"protocol":"UDP"}])"},
      {R"([{"op":"add","path":"/spec/template/spec/hostNetwork","value":true}])",
       PatchStatus{false,
                   "failed to apply patch to Deployment: deployment patch validation failed: "
                   "patch operation \"add\" on forbidden "
                   "path \"/spec/template/spec/hostNetwork\" is not allowed"},
       ours},
      {R"([{"op":"add","path":"/spec/template/spec/volumes/0","value":{"name":"x"}}])",
       PatchStatus{false,
                   "failed to apply patch to Deployment: deployment patch validation failed: "
                   "patch operation \"add\" on forbidden "
                   "path \"/spec/template/spec/volumes/0\" is not allowed"},
       ours},
      {R"([{"op":"replace","path":"/spec/template/spec/containers/0/securityContext/privileged","value":true}])",
       PatchStatus{false,
                   "failed to apply patch to Deployment: deployment patch validation failed: "
                   "patch operation \"replace\" on "
                   "forbidden path "
                   "\"/spec/template/spec/containers/0/securityContext/privileged\" is not "
                   "allowed"},
       ours},
      {R"([{"op":"replace","path":"/spec/nothing","value":1}])",
       PatchStatus{false,
                   "failed to apply patch to Deployment: failed to apply patch to deployment: "
                   "failed to apply JSON patches: failed to apply patch: "
                   R"([{"op":"replace","path":"/spec/nothing","value":1}]: )"
                   "operation 0 (replace /spec/nothing): path not found"},
       ours},
      {R"(not json)",
       PatchStatus{false,
                   "failed to apply patch to Deployment: deployment patch validation failed: "
                   "failed to decode patch operations for validation: patch: invalid JSON at "
                   "offset 1: Invalid value."},
       ours},
  };
  for (const Case& c : kCases) {
    Mattermost mattermost = WithPatch("deployment", c.patch);
    rapidjson::Document deployment = BuildDeployment(mattermost, {});
    EXPECT_EQ(ApplyDeploymentPatch(mattermost, deployment), c.status) << c.patch;
    EXPECT_EQ(At(deployment, "/spec/template/spec/containers/0/ports"), c.ports) << c.patch;
  }
  // Every forbidden prefix (and what lies under it), and the securityContext segments anywhere.
  for (const char* path :
       {"/spec/template/spec/hostNetwork", "/spec/template/spec/hostPID",
        "/spec/template/spec/hostIPC", "/spec/template/spec/volumes/0/name",
        "/spec/template/spec/serviceAccountName", "/spec/template/spec/serviceAccount",
        "/spec/template/spec/nodeSelector/pool", "/spec/template/spec/nodeName",
        "/spec/template/spec/initContainers/-",
        "/spec/template/spec/containers/1/securityContext/allowPrivilegeEscalation",
        "/spec/template/spec/securityContext/runAsUser",
        "/spec/template/spec/containers/0/securityContext/capabilities/add"}) {
    Mattermost bad = WithPatch(
        "deployment", std::string(R"([{"op":"add","path":")") + path + R"(","value":true}])");
    rapidjson::Document unpatched = BuildDeployment(bad, {});
    EXPECT_EQ(ApplyDeploymentPatch(bad, unpatched),
              (PatchStatus{false, std::string("failed to apply patch to Deployment: deployment "
                                              "patch validation failed: patch operation \"add\" "
                                              "on forbidden path \"") +
                                      path + "\" is not allowed"}))
        << path;
  }
  // A prefix only matches whole path segments.
  Mattermost near =
      WithPatch("deployment", R"([{"op":"add","path":"/spec/template/spec/volumesX","value":1}])");
  rapidjson::Document deployment = BuildDeployment(near, {});
  EXPECT_EQ(ApplyDeploymentPatch(near, deployment), (PatchStatus{true, ""}));
  EXPECT_EQ(At(deployment, "/spec/template/spec/volumesX"), "1");
}

TEST(ResourcePatchTest, DisabledOrEmptyClearsTheStatus) {
  const std::string patch = R"([{"op":"add","path":"/spec/replicas","value":9}])";
  for (const Mattermost& mattermost :
       {WithPatch("deployment", patch, true), WithPatch("deployment", ""),
        DefaultedWithSpec("  ingressName: h\n")}) {
    rapidjson::Document deployment = BuildDeployment(mattermost, {});
    EXPECT_EQ(ApplyDeploymentPatch(mattermost, deployment), std::nullopt);
    EXPECT_EQ(At(deployment, "/spec/replicas"), "2");
  }
}

TEST(ResourcePatchTest, ServicePatches) {
  Mattermost ok =
      WithPatch("service", R"([{"op":"add","path":"/metadata/annotations","value":{"a":"b"}}])");
  rapidjson::Document service = BuildService(ok);
  EXPECT_EQ(ApplyServicePatch(ok, service), (PatchStatus{true, ""}));
  EXPECT_EQ(At(service, "/metadata/annotations"), R"({"a":"b"})");

  for (const char* path :
       {"/spec/selector", "/spec/selector/app", "/spec/externalIPs", "/spec/externalName"}) {
    Mattermost bad =
        WithPatch("service", std::string(R"([{"op":"add","path":")") + path + R"(","value":"x"}])");
    rapidjson::Document unpatched = BuildService(bad);
    EXPECT_EQ(ApplyServicePatch(bad, unpatched),
              (PatchStatus{false, std::string("failed to apply patch to Service: service patch "
                                              "validation failed: patch operation \"add\" on "
                                              "forbidden path \"") +
                                      path + "\" is not allowed"}));
  }
}

}  // namespace
}  // namespace mm
