// §7: ClusterInstallation -> Mattermost, with and without BlueGreen/Canary (vector V9).
#include "core/mattermost/conversion.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::ExpectSameJson;
using testing::Yaml;

TEST(ConversionTest, EmptySpecGivesOperatorManagedStores) {
  auto converted = ConvertClusterInstallation(
      Yaml("apiVersion: mattermost.com/v1alpha1\nkind: ClusterInstallation\n"
           "metadata: {name: ci, namespace: ns, labels: {}}\nspec: {ingressName: ''}\n"),
      nullptr);
  ASSERT_TRUE(converted.ok()) << converted.error().message();
  ExpectSameJson(Yaml(R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: ci, namespace: ns}
spec:
  ingressName: ""
  database: {operatorManaged: {resources: {}}}
  fileStore: {operatorManaged: {resources: {}}}
  elasticSearch: {}
  scheduling: {resources: {}}
  probes: {livenessProbe: {}, readinessProbe: {}}
  podExtensions: {}
)"),
                 *converted, "converted");
}

TEST(ConversionTest, FullClusterInstallation) {
  rapidjson::Document ci = Yaml(R"(
apiVersion: mattermost.com/v1alpha1
kind: ClusterInstallation
metadata:
  name: mm
  namespace: chat
  labels: {team: a}
  annotations: {note: kept}
spec:
  image: mattermost/mattermost-enterprise-edition
  version: 9.11.0
  size: 5000users
  replicas: -1
  ingressName: chat.example.com
  ingressAnnotations: {nginx.ingress.kubernetes.io/proxy-body-size: 100M}
  useIngressTLS: true
  useServiceLoadBalancer: false
  serviceAnnotations: {}
  resourceLabels: {team: a}
  mattermostLicenseSecret: license
  imagePullPolicy: Always
  resources: {requests: {cpu: 500m}}
  nodeSelector: {pool: mm}
  affinity: {nodeAffinity: {}}
  livenessProbe: {initialDelaySeconds: 30}
  minio: {externalURL: s3.amazonaws.com, externalBucket: bucket, secret: s3, storageSize: 10Gi, replicas: 5}
  database: {secret: db, replicas: 3, type: mysql}
  elasticSearch: {host: http://es:9200, username: elastic, password: secret}
  mattermostEnv: [{name: A, value: b}]
  blueGreen: {enable: false, blue: {name: x}}
  canary: {enable: false}
  migrate: true
)");
  std::map<std::string, std::string> external = {{"DB_CONNECTION_STRING", "mysql://x"}};
  auto converted = ConvertClusterInstallation(ci, &external);
  ASSERT_TRUE(converted.ok()) << converted.error().message();
  ExpectSameJson(Yaml(R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: mm, namespace: chat, labels: {team: a}, annotations: {note: kept}}
spec:
  size: 5000users
  image: mattermost/mattermost-enterprise-edition
  version: 9.11.0
  replicas: 0
  mattermostEnv: [{name: A, value: b}]
  licenseSecret: license
  ingressName: chat.example.com
  ingressAnnotations: {nginx.ingress.kubernetes.io/proxy-body-size: 100M}
  useIngressTLS: true
  resourceLabels: {team: a}
  imagePullPolicy: Always
  database: {external: {secret: db}}
  fileStore: {external: {url: s3.amazonaws.com, bucket: bucket, secret: s3}}
  elasticSearch: {host: "http://es:9200", username: elastic, password: secret}
  scheduling: {resources: {requests: {cpu: 500m}}, nodeSelector: {pool: mm}, affinity: {nodeAffinity: {}}}
  probes: {livenessProbe: {initialDelaySeconds: 30}, readinessProbe: {}}
  podExtensions: {}
)"),
                 *converted, "converted");

  // A complete MySQL secret keeps the operator-managed database (its custom name is dropped).
  std::map<std::string, std::string> mysql = {
      {"ROOT_PASSWORD", "r"}, {"USER", "u"}, {"PASSWORD", "p"}, {"DATABASE", "d"}};
  converted = ConvertClusterInstallation(ci, &mysql);
  ASSERT_TRUE(converted.ok());
  EXPECT_EQ(testing::At(*converted, "/spec/database"),
            R"({"operatorManaged":{"type":"mysql","replicas":3,"resources":{}}})");
  std::map<std::string, std::string> incomplete = {{"ROOT_PASSWORD", "r"}, {"USER", "u"}};
  converted = ConvertClusterInstallation(ci, &incomplete);
  ASSERT_FALSE(converted.ok());
  EXPECT_EQ(converted.error().message(),
            "failed to convert ClusterInstallation.Spec.Database to Mattermost.Spec.Database: "
            "dbInfo generated from Secret is invalid: database password shouldn't be empty");
}

TEST(ConversionTest, BlueGreenAndCanaryAreRefused) {
  struct Case {
    const char* spec;
    const char* error;
  };
  const Case kCases[] = {
      {"{ingressName: a, blueGreen: {enable: true}}",
       "ClusterInstallation resource with BlueGreen enabled cannot be converted to Mattermost "
       "resource. Disable BlueGreen to enable migration."},
      {"{ingressName: a, canary: {enable: true}}",
       "ClusterInstallation resource with Canary enabled cannot be converted to Mattermost "
       "resource. Disable Canary to enable migration."},
  };
  for (const Case& c : kCases) {
    rapidjson::Document ci = Yaml(std::string("metadata: {name: ci}\nspec: ") + c.spec);
    auto converted = ConvertClusterInstallation(ci, nullptr);
    ASSERT_FALSE(converted.ok());
    EXPECT_EQ(converted.error().message(), c.error);
    EXPECT_FALSE(CheckConvertible(ci).ok());
  }
  EXPECT_TRUE(
      CheckConvertible(Yaml("metadata: {name: ci}\nspec: {blueGreen: {enable: false}}")).ok());
}

}  // namespace
}  // namespace mm
