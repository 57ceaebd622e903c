// Service, Ingress and IngressClass builders against operator.md §3.2-3.4 and vector V1.
#include "core/mattermost/network.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::DefaultedWithSpec;
using testing::ExpectSameJson;
using testing::Yaml;

constexpr char kLabels[] =
    R"({"app":"mattermost","installation.mattermost.com/installation":"my-mm","installation.mattermost.com/resource":"my-mm"})";

Mattermost Named(const std::string& spec) {
  // The fixtures of V1 use the name my-mm.
  Mattermost mattermost = DefaultedWithSpec(spec);
  mattermost.name = "my-mm";
  return mattermost;
}

std::string Rule(const std::string& host) {
  return R"({"host":")" + host +
         R"(","http":{"paths":[{"path":"/","pathType":"ImplementationSpecific","backend":{"service":{"name":"my-mm","port":{"number":8065}}}}]}})";
}

// V1: "support multiple hosts and ignore duplicates".
TEST(IngressTest, MultipleHostsWithoutDuplicates) {
  auto ingress = BuildIngress(
      Named("  ingress:\n    enabled: true\n    host: test\n    ingressClass: nginx\n"
            "    hosts: [{hostName: test}, {hostName: test-2}, {hostName: test-2}, {hostName: "
            "test-3}]\n"));
  ASSERT_TRUE(ingress.has_value());
  EXPECT_EQ(At(*ingress, "/metadata/labels"), kLabels);
  EXPECT_EQ(At(*ingress, "/metadata/annotations"),
            R"({"nginx.ingress.kubernetes.io/proxy-body-size":"1000M"})");
  EXPECT_EQ(
      At(*ingress, "/metadata/ownerReferences"),
      R"([{"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost","name":"my-mm","uid":"uid-1","controller":true,"blockOwnerDeletion":true}])");
  EXPECT_EQ(At(*ingress, "/spec"), R"({"ingressClassName":"nginx","rules":[)" + Rule("test") + "," +
                                       Rule("test-2") + "," + Rule("test-3") + "]}");
}

// V1 sibling: "default tls secret, no ingress spec".
TEST(IngressTest, DeprecatedFieldsGiveTheDefaultTlsSecret) {
  auto ingress = BuildIngress(Named("  ingressName: test-mm.com\n  useIngressTLS: true\n"));
  ASSERT_TRUE(ingress.has_value());
  EXPECT_EQ(
      At(*ingress, "/metadata/annotations"),
      R"({"kubernetes.io/ingress.class":"nginx","nginx.ingress.kubernetes.io/proxy-body-size":"1000M"})");
  EXPECT_EQ(At(*ingress, "/spec/tls"),
            R"([{"hosts":["test-mm.com"],"secretName":"test-mm-com-tls-cert"}])");
  EXPECT_EQ(At(*ingress, "/spec/ingressClassName"), "<absent>");
}

TEST(IngressTest, UserAnnotationsAreSanitizedThenOverride) {
  auto ingress = BuildIngress(
      Named("  ingress:\n    enabled: true\n    host: a.example.com\n    tlsSecret: tls\n"
            "    hosts: [{hostName: b.example.com}]\n"
            "    annotations:\n      nginx.ingress.kubernetes.io/proxy-body-size: 10M\n"
            "      nginx.ingress.kubernetes.io/configuration-SNIPPET: deny all;\n"
            "      evil: \"a\\nb\"\n      ok: yes-really\n"));
  ASSERT_TRUE(ingress.has_value());
  EXPECT_EQ(
      At(*ingress, "/metadata/annotations"),
      R"({"kubernetes.io/ingress.class":"nginx","nginx.ingress.kubernetes.io/proxy-body-size":"10M","ok":"yes-really"})");
  EXPECT_EQ(At(*ingress, "/spec/tls"),
            R"([{"hosts":["a.example.com","b.example.com"],"secretName":"tls"}])");
}

TEST(IngressTest, AwsLoadBalancerVariants) {
  auto with_arn = BuildIngress(
      Named("  awsLoadBalancerController:\n    enabled: true\n    certificateARN: arn:aws:acm:x\n"
            "    internetFacing: true\n    ingressClassName: alb\n"
            "    hosts: [{hostName: a}, {hostName: a}]\n"
            "    annotations: {alb.ingress.kubernetes.io/scheme: internal, my-snippet: x}\n"));
  ASSERT_TRUE(with_arn.has_value());
  EXPECT_EQ(
      At(*with_arn, "/metadata/annotations"),
      R"({"alb.ingress.kubernetes.io/certificate-arn":"arn:aws:acm:x","alb.ingress.kubernetes.io/listen-ports":"[{\"HTTP\": 80}, {\"HTTPS\":443}]","alb.ingress.kubernetes.io/scheme":"internal","alb.ingress.kubernetes.io/ssl-redirect":"443"})");
  // No de-duplication and no TLS block for the ALB.
  EXPECT_EQ(At(*with_arn, "/spec"),
            R"({"ingressClassName":"alb","rules":[)" + Rule("a") + "," + Rule("a") + "]}");
  auto plain = BuildIngress(
      Named("  awsLoadBalancerController:\n    enabled: true\n    hosts: [{hostName: a}]\n"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(
      At(*plain, "/metadata/annotations"),
      R"({"alb.ingress.kubernetes.io/listen-ports":"[{\"HTTP\": 8065}]","alb.ingress.kubernetes.io/scheme":"internal"})");
  EXPECT_EQ(At(*plain, "/spec/ingressClassName"), R"("my-mm")");
}

TEST(IngressTest, WhenThereIsNoIngress) {
  EXPECT_FALSE(BuildIngress(Named("  ingress: {enabled: false}\n")).has_value());
  EXPECT_FALSE(BuildIngress(Named("  ingressName: h\n  useServiceLoadBalancer: true\n")));
  EXPECT_FALSE(IngressManaged(Named("  ingressName: h\n  useServiceLoadBalancer: true\n")));
  EXPECT_TRUE(IngressManaged(Named("  ingressName: h\n")));
}

TEST(IngressClassTest, OnlyForTheAlbWithoutAClassName) {
  auto ingress_class = BuildIngressClass(
      Named("  awsLoadBalancerController:\n    enabled: true\n    hosts: [{hostName: a}]\n"));
  ASSERT_TRUE(ingress_class.has_value());
  ExpectSameJson(Yaml(R"(
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: my-mm
  labels: {app: mattermost, installation.mattermost.com/installation: my-mm, installation.mattermost.com/resource: my-mm}
  ownerReferences:
  - {apiVersion: installation.mattermost.com/v1beta1, kind: Mattermost, name: my-mm, uid: uid-1, controller: true, blockOwnerDeletion: true}
spec:
  controller: ingress.k8s.aws/alb
)"),
                 *ingress_class, "IngressClass");
  EXPECT_FALSE(
      BuildIngressClass(Named("  awsLoadBalancerController:\n    enabled: true\n"
                              "    ingressClassName: alb\n    hosts: [{hostName: a}]\n")));
  EXPECT_FALSE(BuildIngressClass(Named("  ingressName: h\n")));
}

TEST(ServiceTest, ThreeTypes) {
  struct Case {
    const char* spec;
    const char* type;
    const char* ports;
    const char* cluster_ip;
  };
  const char* app_metrics =
      R"([{"name":"app","appProtocol":"http","port":8065,"targetPort":"app"},{"name":"metrics","appProtocol":"http","port":8067,"targetPort":"metrics"}])";
  const Case kCases[] = {
      {"  ingressName: h\n", "\"ClusterIP\"", app_metrics, "\"None\""},
      {"  ingressName: h\n  useServiceLoadBalancer: true\n"
       "  awsLoadBalancerController: {enabled: true, hosts: [{hostName: a}]}\n",
       "\"NodePort\"", app_metrics, "<absent>"},
      {"  ingressName: h\n  useServiceLoadBalancer: true\n", "\"LoadBalancer\"",
       R"([{"name":"http","appProtocol":"http","port":80,"targetPort":"app"},{"name":"https","appProtocol":"https","port":443,"targetPort":"app"}])",
       "<absent>"},
  };
  for (const Case& c : kCases) {
    rapidjson::Document service = BuildService(Named(c.spec));
    EXPECT_EQ(At(service, "/spec/type"), c.type) << c.spec;
    EXPECT_EQ(At(service, "/spec/ports"), c.ports) << c.spec;
    EXPECT_EQ(At(service, "/spec/clusterIP"), c.cluster_ip) << c.spec;
    EXPECT_EQ(At(service, "/spec/publishNotReadyAddresses"), "true");
    EXPECT_EQ(At(service, "/spec/selector"), kLabels);
  }
  // User labels go on the object, never into the selector; ours win.
  rapidjson::Document labelled =
      BuildService(Named("  ingressName: h\n  resourceLabels: {app: x, team: t}\n"
                         "  serviceAnnotations: {a: b}\n  podTemplate: {extraLabels: {p: q}}\n"));
  EXPECT_EQ(
      At(labelled, "/metadata/labels"),
      R"({"app":"mattermost","installation.mattermost.com/installation":"my-mm","installation.mattermost.com/resource":"my-mm","team":"t"})");
  EXPECT_EQ(At(labelled, "/metadata/annotations"), R"({"a":"b"})");
  EXPECT_EQ(At(labelled, "/spec/selector"), kLabels);
}

}  // namespace
}  // namespace mm
