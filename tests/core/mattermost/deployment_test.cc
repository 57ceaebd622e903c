// Table tests of the Deployment builder, one concern per test; expected values come from
// operator.md §3.1 and the test vectors of §10.2.
#include "core/mattermost/deployment.h"

#include <gtest/gtest.h>

#include "core/mattermost/env.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::At;
using testing::DefaultedWithSpec;

constexpr char kContainer[] = "/spec/template/spec/containers/0";

std::string EnvNames(const rapidjson::Document& deployment) {
  std::string names;
  for (const auto& var :
       deployment["spec"]["template"]["spec"]["containers"][0]["env"].GetArray()) {
    names += std::string(var["name"].GetString()) + " ";
  }
  return names;
}

ClusterFacts External(std::map<std::string, std::string> secret) {
  ClusterFacts facts;
  facts.external_db_secret = std::move(secret);
  return facts;
}

constexpr char kExternal[] = "  ingressName: h\n  database:\n    external:\n      secret: db\n";

// V4 (TestSetProbes).
TEST(DeploymentTest, ProbeOverrides) {
  struct Case {
    const char* probes;
    const char* liveness;
    const char* readiness;
  };
  const Case kCases[] = {
      {"",
       R"({"httpGet":{"path":"/api/v4/system/ping","port":8065},"initialDelaySeconds":10,"periodSeconds":10,"failureThreshold":3})",
       R"({"httpGet":{"path":"/api/v4/system/ping","port":8065},"initialDelaySeconds":10,"periodSeconds":5,"failureThreshold":6})"},
      {"  probes:\n    livenessProbe: {initialDelaySeconds: 20, periodSeconds: 20}\n"
       "    readinessProbe: {initialDelaySeconds: 10, failureThreshold: 10}\n",
       R"({"httpGet":{"path":"/api/v4/system/ping","port":8065},"initialDelaySeconds":20,"periodSeconds":20,"failureThreshold":3})",
       R"({"httpGet":{"path":"/api/v4/system/ping","port":8065},"initialDelaySeconds":10,"periodSeconds":5,"failureThreshold":10})"},
      {"  probes:\n    livenessProbe: {httpGet: {path: /api/v4/system/pong, port: 8080}, "
       "timeoutSeconds: 3, successThreshold: 1, failureThreshold: 0}\n",
       R"({"httpGet":{"path":"/api/v4/system/pong","port":8080},"initialDelaySeconds":10,"timeoutSeconds":3,"periodSeconds":10,"successThreshold":1,"failureThreshold":3})",
       R"({"httpGet":{"path":"/api/v4/system/ping","port":8065},"initialDelaySeconds":10,"periodSeconds":5,"failureThreshold":6})"},
  };
  for (const Case& c : kCases) {
    rapidjson::Document deployment =
        BuildDeployment(DefaultedWithSpec(std::string("  ingressName: h\n") + c.probes), {});
    EXPECT_EQ(At(deployment, std::string(kContainer) + "/livenessProbe"), c.liveness) << c.probes;
    EXPECT_EQ(At(deployment, std::string(kContainer) + "/readinessProbe"), c.readiness) << c.probes;
  }
}

// V8 (TestMergeEnvVars) and §3.1.1: replace in place, append new names in order.
TEST(DeploymentTest, EnvMerge) {
  rapidjson::Document deployment = BuildDeployment(
      DefaultedWithSpec(std::string(kExternal) +
                        "  fileStore:\n    local:\n      enabled: true\n"
                        "  mattermostEnv:\n  - {name: NEW_B, value: b}\n"
                        "  - {name: MM_CONFIG, value: override}\n  - {name: NEW_A, value: a}\n"),
      External({{"DB_CONNECTION_STRING", "postgres://x"}}));
  EXPECT_EQ(EnvNames(deployment),
            "MM_CONFIG MM_SQLSETTINGS_DATASOURCE MM_FILESETTINGS_DRIVERNAME "
            "MM_FILESETTINGS_DIRECTORY MM_PLUGINSETTINGS_ENABLEUPLOADS MM_METRICSSETTINGS_ENABLE "
            "MM_METRICSSETTINGS_LISTENADDRESS MM_CLUSTERSETTINGS_ENABLE "
            "MM_CLUSTERSETTINGS_CLUSTERNAME MM_INSTALL_TYPE MM_SERVICESETTINGS_SITEURL "
            "MM_FILESETTINGS_MAXFILESIZE NEW_B NEW_A ");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/env/0"),
            R"({"name":"MM_CONFIG","value":"override"})");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/env/3"),
            R"({"name":"MM_FILESETTINGS_DIRECTORY","value":"/mattermost/data"})");
}

// §3.1.1 group C and D.9/D.10: Elasticsearch, job server and license entries, in order.
TEST(DeploymentTest, ElasticsearchJobServerAndLicenseEnv) {
  rapidjson::Document deployment = BuildDeployment(
      DefaultedWithSpec(std::string(kExternal) +
                        "  elasticSearch: {host: http://es:9200, username: elastic}\n"
                        "  jobServer: {dedicatedJobServer: true}\n  licenseSecret: lic\n"
                        "  fileStore:\n    external: {url: s3.example.com, bucket: b, "
                        "useServiceAccount: true}\n"),
      External({{"DB_CONNECTION_STRING", "mysql://x"}, {"MM_SQLSETTINGS_DATASOURCE", "d"}}));
  EXPECT_EQ(EnvNames(deployment),
            "MM_CONFIG MM_SQLSETTINGS_DATASOURCE MM_FILESETTINGS_DRIVERNAME "
            "MM_FILESETTINGS_AMAZONS3BUCKET MM_FILESETTINGS_AMAZONS3ENDPOINT "
            "MM_FILESETTINGS_AMAZONS3SSL MM_ELASTICSEARCHSETTINGS_ENABLEINDEXING "
            "MM_ELASTICSEARCHSETTINGS_ENABLESEARCHING MM_ELASTICSEARCHSETTINGS_CONNECTIONURL "
            "MM_ELASTICSEARCHSETTINGS_USERNAME MM_ELASTICSEARCHSETTINGS_PASSWORD "
            "MM_PLUGINSETTINGS_ENABLEUPLOADS MM_METRICSSETTINGS_ENABLE "
            "MM_METRICSSETTINGS_LISTENADDRESS MM_CLUSTERSETTINGS_ENABLE "
            "MM_CLUSTERSETTINGS_CLUSTERNAME MM_INSTALL_TYPE MM_SERVICESETTINGS_SITEURL "
            "MM_FILESETTINGS_MAXFILESIZE MM_JOBSETTINGS_RUNJOBS "
            "MM_SERVICESETTINGS_LICENSEFILELOCATION ");
  std::string env = std::string(kContainer) + "/env/";
  EXPECT_EQ(
      At(deployment, env + "1"),
      R"({"name":"MM_SQLSETTINGS_DATASOURCE","valueFrom":{"secretKeyRef":{"name":"db","key":"MM_SQLSETTINGS_DATASOURCE"}}})");
  EXPECT_EQ(At(deployment, env + "10"), R"({"name":"MM_ELASTICSEARCHSETTINGS_PASSWORD"})");
  EXPECT_EQ(
      At(deployment, env + "20"),
      R"({"name":"MM_SERVICESETTINGS_LICENSEFILELOCATION","value":"/mattermost-license/license"})");
  EXPECT_EQ(
      At(deployment, "/spec/template/metadata/annotations"),
      R"({"prometheus.io/path":"/metrics","prometheus.io/port":"8067","prometheus.io/scrape":"true"})");
  EXPECT_EQ(At(deployment, "/spec/template/spec/volumes"),
            R"([{"name":"mattermost-license","secret":{"secretName":"lic"}}])");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/volumeMounts"),
            R"([{"name":"mattermost-license","mountPath":"/mattermost-license","readOnly":true}])");
}

// V3 (TestDetermineMaxBodySize) through the Deployment's MM_FILESETTINGS_MAXFILESIZE.
TEST(DeploymentTest, MaxFileSizeFromTheIngressAnnotation) {
  struct Case {
    const char* annotation;
    const char* bytes;
  };
  const Case kCases[] = {{"nan", "1048576000"}, {"800K", "1048576000"}, {"1g", "1048576000"},
                         {"1G", "1048576000"},  {"10m", "10485760"},    {"10M", "10485760"},
                         {"xM", "0"},           {"", "1048576000"}};
  for (const Case& c : kCases) {
    Mattermost mattermost =
        DefaultedWithSpec(std::string("  ingressName: h\n  ingressAnnotations:\n    "
                                      "nginx.ingress.kubernetes.io/proxy-body-size: \"") +
                          c.annotation + "\"\n");
    EXPECT_EQ(MaxFileSize(mattermost), c.bytes) << c.annotation;
  }
  // spec.ingress replaces ingressAnnotations; useServiceLoadBalancer ignores both.
  EXPECT_EQ(MaxFileSize(DefaultedWithSpec(
                "  ingressAnnotations: {nginx.ingress.kubernetes.io/proxy-body-size: 10M}\n"
                "  ingress: {enabled: true, host: h}\n")),
            "1048576000");
  EXPECT_EQ(MaxFileSize(DefaultedWithSpec(
                "  ingress: {enabled: true, host: h, annotations: "
                "{nginx.ingress.kubernetes.io/proxy-body-size: 2G}}\n  useServiceLoadBalancer: "
                "true\n")),
            "1048576000");
}

// V2 and §3.1.2: the DB readiness init container per mode.
TEST(DeploymentTest, DatabaseReadinessContainers) {
  const std::string builtin =
      R"([{"name":"init-check-database","image":"mattermost/mattermost:10.8.1","command":["/mattermost/bin/mattermost"],"args":["db","ping","--timeout=5m0s"],"env":[{"name":"MM_CONFIG","valueFrom":{"secretKeyRef":{"name":"db","key":"DB_CONNECTION_STRING"}}},{"name":"MM_SQLSETTINGS_DATASOURCE","valueFrom":{"secretKeyRef":{"name":"db","key":"DB_CONNECTION_STRING"}}}],"imagePullPolicy":"IfNotPresent"}])";
  const std::string mysql_check =
      R"([{"name":"init-check-database","image":"appropriate/curl:latest","command":["sh","-c","until curl --max-time 5 \"$DB_CONNECTION_CHECK_URL\"; do echo waiting for database; sleep 5; done;"],"env":[{"name":"DB_CONNECTION_CHECK_URL","valueFrom":{"secretKeyRef":{"name":"db","key":"DB_CONNECTION_CHECK_URL"}}}],"imagePullPolicy":"IfNotPresent"}])";
  struct Case {
    std::string spec;
    std::map<std::string, std::string> secret;
    std::string init_containers;  // JSON of initContainers, or <absent>
  };
  const std::string base =
      "  ingressName: h\n  image: mattermost/mattermost\n"
      "  fileStore:\n    externalVolume: {volumeClaimName: c}\n"
      "  database:\n    external:\n      secret: db\n";
  const std::map<std::string, std::string> no_check = {{"DB_CONNECTION_STRING", "postgres://x"}};
  const std::map<std::string, std::string> mysql = {{"DB_CONNECTION_STRING", "mysql://x"},
                                                    {"DB_CONNECTION_CHECK_URL", "http://db"}};
  const std::map<std::string, std::string> unknown = {{"DB_CONNECTION_STRING", "sqlite://x"},
                                                      {"DB_CONNECTION_CHECK_URL", "http://db"}};
  const Case kCases[] = {
      {base + "    readinessCheck: {mode: builtin}\n", no_check, builtin},
      {base + "    readinessCheck: {mode: builtin, timeout: 10m}\n", no_check,
       std::string(builtin).replace(builtin.find("5m0s"), 4, "10m0s")},
      {base + "    readinessCheck: {mode: external}\n", no_check, "<absent>"},
      {base, no_check, "<absent>"},
      {base, mysql, mysql_check},
      {base, unknown, "<absent>"},
      {base + "    disableReadinessCheck: true\n", mysql, "<absent>"},
      {base + "    disableReadinessCheck: true\n    readinessCheck: {mode: builtin}\n", mysql,
       "<absent>"},
  };
  for (const Case& c : kCases) {
    rapidjson::Document deployment = BuildDeployment(DefaultedWithSpec(c.spec), External(c.secret));
    EXPECT_EQ(At(deployment, "/spec/template/spec/initContainers"), c.init_containers) << c.spec;
  }
}

TEST(DeploymentTest, LabelsStrategyCommandAndExtensions) {
  rapidjson::Document deployment = BuildDeployment(
      DefaultedWithSpec(
          "  ingressName: h\n  resourceLabels: {team: a, app: mine}\n"
          "  podTemplate:\n    extraLabels: {tier: web}\n    extraAnnotations: {x: z}\n"
          "    command: [mattermost, server]\n"
          "  deploymentTemplate: {deploymentStrategyType: Recreate, revisionHistoryLimit: 2}\n"
          "  podExtensions:\n    sidecarContainers: [{name: side, image: s}]\n"
          "    containerPorts: [{name: extra, containerPort: 9000}]\n"
          "    initContainers: [{name: last, image: l}]\n"
          "  fileStore:\n    externalVolume: {volumeClaimName: my-claim}\n"),
      {});
  // QUIRK copied (label-map aliasing): the Deployment carries the pod labels.
  EXPECT_EQ(
      At(deployment, "/metadata/labels"),
      R"({"app":"mattermost","installation.mattermost.com/installation":"foo","installation.mattermost.com/resource":"foo","team":"a","tier":"web"})");
  EXPECT_EQ(
      At(deployment, "/spec/selector/matchLabels"),
      R"({"app":"mattermost","installation.mattermost.com/installation":"foo","installation.mattermost.com/resource":"foo"})");
  EXPECT_EQ(At(deployment, "/spec/template/metadata/annotations"), R"({"x":"z"})");
  EXPECT_EQ(At(deployment, "/spec/strategy"), R"({"type":"Recreate"})");
  EXPECT_EQ(At(deployment, "/spec/revisionHistoryLimit"), "2");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/command"), R"(["mattermost","server"])");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/ports/2"),
            R"({"name":"extra","containerPort":9000})");
  EXPECT_EQ(At(deployment, "/spec/template/spec/containers/1/name"), R"("side")");
  EXPECT_EQ(At(deployment, "/spec/template/spec/initContainers/1/name"), R"("last")");
  EXPECT_EQ(At(deployment, "/spec/template/spec/volumes"),
            R"([{"name":"mattermost-data","persistentVolumeClaim":{"claimName":"my-claim"}}])");
}

// §3.8: the job server is the main Deployment with one renamed container.
TEST(DeploymentTest, JobServer) {
  rapidjson::Document deployment = BuildJobServerDeployment(
      DefaultedWithSpec("  ingressName: h\n  jobServer: {dedicatedJobServer: true}\n"
                        "  podTemplate: {command: [custom]}\n"
                        "  podExtensions: {sidecarContainers: [{name: side}]}\n"),
      {});
  EXPECT_EQ(At(deployment, "/metadata/name"), R"("foo-jobserver")");
  EXPECT_EQ(At(deployment, "/metadata/labels/app"), R"("mattermost")");
  EXPECT_EQ(At(deployment, "/spec/replicas"), "1");
  EXPECT_EQ(At(deployment, "/spec/selector/matchLabels/app"), R"("mattermost-jobserver")");
  EXPECT_EQ(At(deployment, "/spec/template/metadata/labels/app"), R"("mattermost-jobserver")");
  EXPECT_EQ(At(deployment, "/spec/template/spec/containers/1"), "<absent>");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/name"), R"("mattermost-jobserver")");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/command"), R"(["mattermost","jobserver"])");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/ports"), "<absent>");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/livenessProbe"), "<absent>");
  EXPECT_EQ(At(deployment, std::string(kContainer) + "/env/18"),
            R"({"name":"MM_JOBSETTINGS_RUNJOBS","value":"false"})");
}

}  // namespace
}  // namespace mm
