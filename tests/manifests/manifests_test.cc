#include "manifests/manifests.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "core/mattermost/parse.h"
#include "core/yaml.h"

namespace mm {
namespace {

rapidjson::Document Manifest() {
  auto manifest = ParseJson(manifests::OperatorManifestJson(), "embedded manifest");
  EXPECT_TRUE(manifest.ok());
  return manifest.ok() ? std::move(*manifest) : rapidjson::Document();
}

const rapidjson::Value* Crd(const rapidjson::Value& manifest, const std::string& name) {
  for (const rapidjson::Value& object : manifest.GetArray()) {
    if (GetString(object["metadata"], "name") == name) return &object;
  }
  return nullptr;
}

TEST(ManifestsTest, ObjectsInApplyOrderWithAPinnedImage) {
  rapidjson::Document manifest = Manifest();
  std::string objects;
  for (const rapidjson::Value& object : manifest.GetArray()) {
    objects += GetString(object, "kind") + "/" + GetString(object["metadata"], "name") + " ";
  }
  EXPECT_EQ(objects,
            "Namespace/mattermost-operator "
            "CustomResourceDefinition/clusterinstallations.mattermost.com "
            "CustomResourceDefinition/mattermostrestoredbs.mattermost.com "
            "CustomResourceDefinition/mattermosts.installation.mattermost.com "
            "ServiceAccount/mattermost-operator ClusterRole/mattermost-operator "
            "ClusterRoleBinding/mattermost-operator Service/mattermost-operator "
            "Deployment/mattermost-operator ");
  const rapidjson::Value& container = manifest[8]["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(GetString(container, "image"), "mattermost/mattermost-operator:v1.25.9");
  EXPECT_EQ(manifests::OperatorVersion(), "1.25.9");
  EXPECT_EQ(ToJson(container["args"]),
            R"(["--enable-leader-election","--metrics-addr=0.0.0.0:8383"])");
  EXPECT_EQ(ToJson(manifest[4]["metadata"]),
            R"({"name":"mattermost-operator","namespace":"mattermost-operator"})");
}

// Every schema node is structural: it has a type (or keeps unknown fields), objects list
// their properties or preserve unknown fields, arrays have items.
void ExpectStructural(const rapidjson::Value& schema, const std::string& path) {
  if (FindMember(schema, "x-kubernetes-preserve-unknown-fields") != nullptr) return;
  std::string type = GetString(schema, "type");
  ASSERT_FALSE(type.empty()) << path << " has no type";
  if (type == "object") {
    const rapidjson::Value* properties = FindMember(schema, "properties");
    const rapidjson::Value* additional = FindMember(schema, "additionalProperties");
    // metadata is the one object the API server types itself.
    bool is_metadata = path.size() >= 9 && path.substr(path.size() - 9) == ".metadata";
    ASSERT_TRUE(properties != nullptr || additional != nullptr || is_metadata) << path;
    if (properties != nullptr) {
      for (const auto& member : properties->GetObject()) {
        ExpectStructural(member.value, path + "." + member.name.GetString());
      }
    }
  } else if (type == "array") {
    ASSERT_NE(FindMember(schema, "items"), nullptr) << path;
    ExpectStructural(schema["items"], path + "[]");
  }
}

TEST(ManifestsTest, CrdsAreStructuralAndSmall) {
  rapidjson::Document manifest = Manifest();
  for (const char* name :
       {"clusterinstallations.mattermost.com", "mattermostrestoredbs.mattermost.com",
        "mattermosts.installation.mattermost.com"}) {
    const rapidjson::Value* crd = Crd(manifest, name);
    ASSERT_NE(crd, nullptr) << name;
    const rapidjson::Value& version = (*crd)["spec"]["versions"][0];
    EXPECT_TRUE(version["served"].GetBool() && version["storage"].GetBool());
    EXPECT_EQ(ToJson(version["subresources"]), R"({"status":{}})");
    ExpectStructural(version["schema"]["openAPIV3Schema"], name);
    // Under the 256 KiB last-applied annotation limit even for client-side apply.
    EXPECT_LT(ToJson(*crd).size(), 256u * 1024) << name;
  }
  const rapidjson::Value* ci = Crd(manifest, "clusterinstallations.mattermost.com");
  const rapidjson::Value& schema = (*ci)["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
  EXPECT_EQ(ToJson(schema["required"]), R"(["spec"])");
  EXPECT_EQ(ToJson(schema["properties"]["spec"]["required"]), R"(["ingressName"])");
  const rapidjson::Value* mm = Crd(manifest, "mattermosts.installation.mattermost.com");
  EXPECT_EQ(ToJson((*mm)["spec"]["names"]["shortNames"]), R"(["mm"])");
}

// Every field a full Mattermost uses is declared by the schema, so the API server keeps it.
void ExpectDeclared(const rapidjson::Value& value, const rapidjson::Value& schema,
                    const std::string& path) {
  if (FindMember(schema, "x-kubernetes-preserve-unknown-fields") != nullptr) return;
  if (value.IsObject()) {
    const rapidjson::Value* properties = FindMember(schema, "properties");
    for (const auto& member : value.GetObject()) {
      std::string key = member.name.GetString();
      if (properties == nullptr) continue;  // a map (additionalProperties)
      const rapidjson::Value* field = FindMember(*properties, key);
      ASSERT_NE(field, nullptr) << path + "." + key << " is not in the CRD schema";
      ExpectDeclared(member.value, *field, path + "." + key);
    }
  } else if (value.IsArray()) {
    for (const rapidjson::Value& item : value.GetArray()) {
      ExpectDeclared(item, schema["items"], path + "[]");
    }
  }
}

TEST(ManifestsTest, MattermostSchemaDeclaresEveryModelField) {
  auto full = ParseYamlDocuments(R"(
spec:
  size: 5000users
  image: i
  version: v
  replicas: 2
  mattermostEnv: [{name: A, value: b}]
  licenseSecret: l
  ingressName: h
  ingressAnnotations: {a: b}
  useIngressTLS: true
  useServiceLoadBalancer: false
  serviceAnnotations: {a: b}
  resourceLabels: {a: b}
  ingress: {enabled: true, host: h, hosts: [{hostName: h2}], annotations: {a: b}, tlsSecret: t, ingressClass: nginx}
  awsLoadBalancerController: {enabled: false, certificateARN: c, internetFacing: true, hosts: [{hostName: h}], ingressClassName: alb, annotations: {a: b}}
  volumes: [{name: v, emptyDir: {}}]
  volumeMounts: [{name: v, mountPath: /v}]
  imagePullPolicy: IfNotPresent
  imagePullSecrets: [{name: p}]
  dnsConfig: {nameservers: [1.1.1.1]}
  dnsPolicy: ClusterFirst
  database:
    external: {secret: s}
    operatorManaged: {type: mysql, storageSize: 50Gi, replicas: 1, resources: {}, initBucketURL: u, backupSchedule: s, backupURL: u, backupRemoteDeletePolicy: retain, backupSecretName: s, backupRestoreSecretName: s, version: "8.0"}
    disableReadinessCheck: false
    readinessCheck: {mode: builtin, timeout: 5m}
  fileStore:
    external: {url: u, bucket: b, secret: s, useServiceAccount: false}
    externalVolume: {volumeClaimName: c}
    local: {enabled: false, storageSize: 1Gi, accessModes: [ReadWriteOnce]}
    operatorManaged: {storageSize: 1Gi, replicas: 1, resources: {}}
  elasticSearch: {host: h, username: u, password: p}
  scheduling: {resources: {}, nodeSelector: {a: b}, affinity: {}, tolerations: [{key: k}]}
  probes: {livenessProbe: {}, readinessProbe: {}}
  podTemplate: {command: [c], securityContext: {}, containerSecurityContext: {}, extraAnnotations: {a: b}, extraLabels: {a: b}}
  deploymentTemplate: {deploymentStrategyType: Recreate, revisionHistoryLimit: 1}
  updateJob: {disabled: false, extraAnnotations: {a: b}, extraLabels: {a: b}}
  jobServer: {dedicatedJobServer: true}
  podExtensions: {initContainers: [{name: i}], sidecarContainers: [{name: s}], containerPorts: [{containerPort: 1}]}
  resourcePatch: {service: {disable: false, patch: "[]"}, deployment: {disable: true, patch: "[]"}}
status:
  state: stable
  version: v
  image: i
  endpoint: e
  replicas: 1
  updatedReplicas: 1
  observedGeneration: 1
  error: e
  resourcePatch: {servicePatch: {applied: true, error: e}, deploymentPatch: {applied: true}}
)",
                                 "full");
  ASSERT_TRUE(full.ok());
  rapidjson::Document manifest = Manifest();
  const rapidjson::Value* crd = Crd(manifest, "mattermosts.installation.mattermost.com");
  ExpectDeclared((*full)[0], (*crd)["spec"]["versions"][0]["schema"]["openAPIV3Schema"], "");
}

}  // namespace
}  // namespace mm
