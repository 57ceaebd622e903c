#include "core/mattermost/parse.h"

#include <gtest/gtest.h>

#include "core/json_copy.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::LoadTestdata;
using testing::MattermostWithSpec;
using testing::Yaml;

TEST(ParseMattermostTest, ReadsOptionalFieldsAsOptional) {
  Mattermost mattermost = MattermostWithSpec(
      "  replicas: 0\n  ingress:\n    enabled: true\n    host: a\n    ingressClass: \"\"\n"
      "  database:\n    operatorManaged:\n      replicas: 0\n");
  EXPECT_EQ(mattermost.spec.replicas, std::optional<int32_t>(0));
  ASSERT_TRUE(mattermost.spec.ingress.has_value());
  EXPECT_EQ(mattermost.spec.ingress->ingress_class, std::optional<std::string>(""));
  EXPECT_EQ(mattermost.spec.database.operator_managed->replicas, std::optional<int32_t>(0));
  EXPECT_FALSE(mattermost.spec.file_store.operator_managed.has_value());
  EXPECT_FALSE(MattermostWithSpec("").spec.replicas.has_value());
}

TEST(ParseMattermostTest, ReportsEveryTypeProblemWithItsPath) {
  auto mattermost = ParseMattermost(Yaml(R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: foo}
spec:
  replicas: "2"
  ingress: {enabled: yes, hosts: [{hostName: 1}]}
  resourceLabels: {a: 1}
  volumes: {}
)"));
  ASSERT_FALSE(mattermost.ok());
  EXPECT_EQ(mattermost.error().message(),
            "Mattermost \"foo\" is invalid:\n"
            "  - spec.replicas: expected integer, got string\n"
            "  - spec.resourceLabels.a: expected string, got integer\n"
            "  - spec.ingress.hosts[0].hostName: expected string, got integer\n"
            "  - spec.volumes: expected array, got object");
}

TEST(ParseMattermostTest, RejectsOtherKinds) {
  auto mattermost = ParseMattermost(Yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"));
  ASSERT_FALSE(mattermost.ok());
  EXPECT_EQ(mattermost.error().message(),
            "expected apiVersion installation.mattermost.com/v1beta1 kind Mattermost, got "
            "apiVersion \"v1\" kind \"Pod\"");
}

TEST(ValidateMattermostTest, PreciseMessages) {
  struct Case {
    const char* spec;
    std::vector<std::string> problems;
  };
  const Case kCases[] = {
      {"  ingressName: h\n", {}},
      {"  size: 50000users\n  ingressName: h\n",
       {"spec.size: unknown size \"50000users\"; known sizes: 100users, 1000users, 5000users, "
        "10000users, 25000users, cloud10users, cloud100users, miniSingleton, miniHA"}},
      {"",
       {"spec.ingressName: required when spec.ingress is not set (the Ingress is then "
        "enabled)"}},
      {"  ingress:\n    enabled: true\n",
       {"spec.ingress.host: required when ingress.enabled is true"}},
      {"  awsLoadBalancerController:\n    enabled: true\n",
       {"spec.awsLoadBalancerController.hosts: required when awsLoadBalancerController.enabled "
        "is true"}},
      {"  ingressName: h\n  volumes:\n  - name: ok\n    emptyDir: {}\n  - name: nfs\n    nfs: {}\n",
       {"spec.volumes[1]: volume \"nfs\" uses an unsupported volume source; allowed types: "
        "ConfigMap, Secret, EmptyDir, PersistentVolumeClaim, Projected, DownwardAPI, CSI"}},
      {"  ingressName: h\n  database:\n    readinessCheck:\n      mode: internal\n      timeout: "
       "5 minutes\n",
       {"spec.database.readinessCheck.mode: unsupported value \"internal\"; supported values: "
        "\"external\", \"builtin\"",
        "spec.database.readinessCheck.timeout: invalid duration \"5 minutes\" (e.g. 5m, 90s, 1h)"}},
      {"  ingressName: h\n  fileStore:\n    local:\n      enabled: true\n      storageSize: lots\n",
       {"spec.fileStore.local.storageSize: invalid quantity \"lots\""}},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ValidateMattermost(MattermostWithSpec(c.spec)), c.problems) << c.spec;
  }
}

// A resource that sets every field the model reads, views included, with quantities to
// canonicalize; ParseDefaultedEqualsAFullParse varies its size, database and file store.
constexpr char kEveryField[] = R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: every, namespace: ns, uid: 0c6bbd4a-4c4e-4d4b-9a3e-00000000000f, generation: 4}
spec:
  image: registry.example.com/mattermost
  version: 10.8.1
  replicas: 0
  mattermostEnv: [{name: A, value: b}]
  licenseSecret: license
  ingressName: old.example.com
  ingressAnnotations: {a: b}
  useIngressTLS: true
  useServiceLoadBalancer: true
  serviceAnnotations: {s: t}
  resourceLabels: {team: x}
  ingress: {enabled: true, host: chat.example.com, hosts: [{hostName: a.example.com}],
            annotations: {c: d}, tlsSecret: tls, ingressClass: nginx}
  awsLoadBalancerController: {enabled: false, certificateARN: arn, internetFacing: true,
                              hosts: [{hostName: alb.example.com}], ingressClassName: alb,
                              annotations: {e: f}}
  volumes: [{name: v, emptyDir: {}}]
  volumeMounts: [{name: v, mountPath: /v}]
  imagePullPolicy: Always
  imagePullSecrets: [{name: pull}]
  dnsConfig: {nameservers: [1.1.1.1]}
  dnsPolicy: None
  elasticSearch: {host: es, username: u, password: p}
  scheduling:
    resources: {requests: {cpu: "0.5", memory: 1024Mi}, limits: {cpu: 2000m}}
    nodeSelector: {disk: ssd}
    affinity: {nodeAffinity: {}}
    tolerations: [{key: k, operator: Exists}]
  probes: {livenessProbe: {initialDelaySeconds: 5}, readinessProbe: {periodSeconds: 3}}
  podTemplate:
    command: [mattermost, server]
    securityContext: {runAsUser: 1000}
    containerSecurityContext: {readOnlyRootFilesystem: true}
    extraAnnotations: {g: h}
    extraLabels: {i: j}
  deploymentTemplate: {deploymentStrategyType: Recreate, revisionHistoryLimit: 2}
  updateJob: {disabled: true, extraAnnotations: {k: l}, extraLabels: {m: o}}
  jobServer: {dedicatedJobServer: true}
  podExtensions:
    initContainers: [{name: init, image: busybox}]
    sidecarContainers: [{name: side, image: busybox}]
    containerPorts: [{containerPort: 9000}]
  resourcePatch:
    service: {disable: true, patch: "[]"}
    deployment: {patch: "[]"}
)";

// Database and file-store modes, as the JSON of spec.database / spec.fileStore ("" = absent).
const char* const kDatabaseModes[] = {
    R"({"external":{"secret":"db"},"disableReadinessCheck":true})",
    "",
    R"({"operatorManaged":{"type":"postgres","storageSize":"5Gi","replicas":0,"version":"13",)"
    R"("resources":{"requests":{"cpu":"0.25","memory":"2048Mi"}},"backupURL":"s3://b"},)"
    R"("readinessCheck":{"mode":"builtin","timeout":"1m"}})",
};
const char* const kFileStoreModes[] = {
    R"({"external":{"url":"s3.amazonaws.com","bucket":"b","secret":"s3"}})",
    R"({"externalVolume":{"volumeClaimName":"shared"}})",
    R"({"local":{"enabled":true,"storageSize":"10Gi","accessModes":["ReadWriteMany"]}})",
    R"({"operatorManaged":{"storageSize":"1Ti","replicas":2,)"
    R"("resources":{"requests":{"cpu":"1000m"}}}})",
    "",
};
const char* const kSizes[] = {"",
                              "100users",
                              "1000users",
                              "5000users",
                              "10000users",
                              "25000users",
                              "cloud10users",
                              "cloud100users",
                              "miniSingleton",
                              "miniHA",
                              "unknownUsers"};

rapidjson::Document Copy(const rapidjson::Value& value) {
  rapidjson::Document copy;
  CopyInto(copy, value);
  return copy;
}

// Sets spec.<key> of `resource` to `json`, or removes it when `json` is "".
void SetSpecMember(rapidjson::Document& resource, const char* key, const std::string& json) {
  rapidjson::Value& spec = resource["spec"];
  spec.RemoveMember(key);
  if (json.empty()) return;
  rapidjson::Document value = Yaml(json);
  spec.AddMember(rapidjson::Value(key, resource.GetAllocator()),
                 rapidjson::Value(value, resource.GetAllocator()), resource.GetAllocator());
}

// DefaultedMattermost reads only what defaulting changes again (ParseDefaulted); the result must
// be exactly what parsing its whole defaulted document gives. Parsing that very document again
// gives views at the same addresses, so the two models compare equal field by field.
void ExpectParseDefaultedEqualsAFullParse(const rapidjson::Document& resource,
                                          const std::string& what) {
  auto parsed = ParseMattermost(Copy(resource));
  ASSERT_TRUE(parsed.ok()) << what << ": " << parsed.error().message();
  auto defaulted = DefaultedMattermost(*parsed);
  ASSERT_TRUE(defaulted.ok()) << what << ": " << defaulted.error().message();
  ASSERT_NE(defaulted->document, parsed->document) << what;
  auto full = ParseMattermost(defaulted->document);
  ASSERT_TRUE(full.ok()) << what << ": " << full.error().message();
  EXPECT_TRUE(full->spec.database == defaulted->spec.database) << what;
  EXPECT_TRUE(full->spec.file_store == defaulted->spec.file_store) << what;
  EXPECT_TRUE(full->spec.pod_template == defaulted->spec.pod_template) << what;
  EXPECT_TRUE(*full == *defaulted) << what;
}

TEST(ParseDefaultedTest, EqualsAFullParseForEveryFixtureAndMode) {
  std::vector<std::pair<std::string, rapidjson::Document>> resources;
  for (const char* file :
       {"full_aws_alb.yaml", "full_external.yaml", "kitchen_sink.yaml", "simple_anywhere.yaml"}) {
    std::vector<rapidjson::Document> documents = LoadTestdata("mattermost/" + std::string(file));
    ASSERT_FALSE(documents.empty()) << file;
    resources.emplace_back(file, std::move(documents[0]));
  }
  resources.emplace_back("every field", Yaml(kEveryField));
  int cases = 0;
  for (const auto& [name, resource] : resources) {
    ExpectParseDefaultedEqualsAFullParse(resource, name + " as written");
    ++cases;
    for (const char* size : kSizes) {
      for (const char* database : kDatabaseModes) {
        for (const char* file_store : kFileStoreModes) {
          rapidjson::Document varied = Copy(resource);
          SetSpecMember(varied, "size", *size == '\0' ? "" : std::string("\"") + size + "\"");
          SetSpecMember(varied, "database", database);
          SetSpecMember(varied, "fileStore", file_store);
          ExpectParseDefaultedEqualsAFullParse(varied, name + " size=" + size + " database=" +
                                                           database + " fileStore=" + file_store);
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, 5 * (1 + 11 * 3 * 5));
}

// With the smallest valid spec, defaulting adds the objects the views point into.
TEST(ParseDefaultedTest, EqualsAFullParseForTheSmallestSpec) {
  ExpectParseDefaultedEqualsAFullParse(
      Yaml("apiVersion: installation.mattermost.com/v1beta1\nkind: Mattermost\n"
           "metadata: {name: bare}\nspec: {ingressName: h}\n"),
      "smallest spec");
}

// The defaulted document is the result's own: its views point into it, not into the input's.
TEST(ParseDefaultedTest, ViewsPointIntoTheDefaultedDocument) {
  Mattermost parsed =
      MattermostWithSpec("  ingressName: h\n  volumes: [{name: v, emptyDir: {}}]\n");
  auto defaulted = DefaultedMattermost(parsed);
  ASSERT_TRUE(defaulted.ok()) << defaulted.error().message();
  const rapidjson::Value& spec = (*defaulted->document)["spec"];
  EXPECT_EQ(defaulted->spec.volumes, &spec["volumes"]);
  EXPECT_NE(defaulted->spec.volumes, parsed.spec.volumes);
  EXPECT_EQ(defaulted->spec.resources, &spec["scheduling"]["resources"]);
  EXPECT_EQ(defaulted->spec.liveness_probe, &spec["probes"]["livenessProbe"]);
  EXPECT_EQ(defaulted->spec.database.operator_managed->resources,
            &spec["database"]["operatorManaged"]["resources"]);
  EXPECT_EQ(defaulted->spec.size, "");
  EXPECT_EQ(defaulted->spec.image, "mattermost/mattermost-enterprise-edition");
}

// ParseDefaulted refuses a document that is not an object rather than reading it.
TEST(ParseDefaultedTest, RejectsANonObject) {
  Mattermost parsed = MattermostWithSpec("  ingressName: h\n");
  rapidjson::Document array;
  array.SetArray();
  auto result = ParseDefaulted(parsed, std::move(array));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), "Mattermost: expected a JSON object");
}

}  // namespace
}  // namespace mm
