#include "kubeapi/rest_client.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::Json;
using testing::RecordingTransport;
using testing::Respond;

const ResourceMapping kDeployments{"apps", "v1", "deployments", "Deployment", true};
const ResourceMapping kPods{"", "v1", "pods", "Pod", true};
const ResourceMapping kNamespaces{"", "v1", "namespaces", "Namespace", false};

TEST(RestClientTest, ResourcePaths) {
  EXPECT_EQ(ResourcePath(kPods, "default"), "/api/v1/namespaces/default/pods");
  EXPECT_EQ(ResourcePath(kPods, ""), "/api/v1/pods");  // all namespaces
  EXPECT_EQ(ResourcePath(kPods, "a", "web", "log"), "/api/v1/namespaces/a/pods/web/log");
  EXPECT_EQ(ResourcePath(kDeployments, "a", "web", "scale"),
            "/apis/apps/v1/namespaces/a/deployments/web/scale");
  EXPECT_EQ(ResourcePath(kNamespaces, "ignored", "team"), "/api/v1/namespaces/team");
}

TEST(RestClientTest, GoDurations) {
  EXPECT_EQ(GoDurationString(std::chrono::seconds(32)), "32s");
  EXPECT_EQ(GoDurationString(std::chrono::seconds(90)), "1m30s");
  EXPECT_EQ(GoDurationString(std::chrono::hours(1)), "1h0m0s");
  EXPECT_EQ(GoDurationString(std::chrono::milliseconds(500)), "500ms");
  EXPECT_EQ(GoDurationString(std::chrono::milliseconds(1500)), "1.5s");
}

TEST(RestClientTest, WritesSendKubectlsQueryAndContentTypes) {
  RecordingTransport fake;
  fake.handler = [](const HttpRequest&) { return Respond(200, "{}"); };
  RestClient client(fake, "https://k:6443", std::chrono::milliseconds(0));
  auto deployment =
      Json(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}})");
  ASSERT_TRUE(
      client.Create(kDeployments, "a", deployment, {.dry_run = true, .field_manager = "m"}).ok());
  // dryRun on every verb that writes: create, status update, scale, apply, delete.
  ASSERT_TRUE(client.Update(kDeployments, "a", deployment, {.dry_run = true}, "status").ok());
  ASSERT_TRUE(client
                  .Patch(kDeployments, "a", "web", PatchType::kMerge, R"({"spec":{"replicas":4}})",
                         {.dry_run = true}, "scale")
                  .ok());
  ASSERT_TRUE(client.Patch(kDeployments, "a", "web", PatchType::kJson, "[]", {}).ok());
  ASSERT_TRUE(client
                  .Patch(kDeployments, "a", "web", PatchType::kStrategic, "{}",
                         {.field_manager = "kubectl-patch", .field_validation = "Strict"})
                  .ok());
  ASSERT_TRUE(client.Apply(kDeployments, "a", deployment, {.force = true, .dry_run = true}).ok());
  ASSERT_TRUE(client
                  .Delete(kDeployments, "a", "web",
                          {.propagation_policy = "Foreground",
                           .grace_period_seconds = 0,
                           .precondition_uid = "u1",
                           .precondition_resource_version = "7",
                           .dry_run = true})
                  .ok());
  struct Sent {
    std::string method;
    std::string url;
    std::string content_type;
    std::string body;
  };
  const std::string base = "https://k:6443/apis/apps/v1/namespaces/a/deployments";
  const std::string object = ToJson(deployment);
  const std::vector<Sent> expected = {
      {"POST", base + "?dryRun=All&fieldManager=m", "application/json", object},
      {"PUT", base + "/web/status?dryRun=All", "application/json", object},
      {"PATCH", base + "/web/scale?dryRun=All", "application/merge-patch+json",
       R"({"spec":{"replicas":4}})"},
      {"PATCH", base + "/web", "application/json-patch+json", "[]"},
      {"PATCH", base + "/web?fieldManager=kubectl-patch&fieldValidation=Strict",
       "application/strategic-merge-patch+json", "{}"},
      {"PATCH", base + "/web?dryRun=All&fieldManager=kubectl-mattermost&force=true",
       "application/apply-patch+yaml", object},
      {"DELETE", base + "/web?dryRun=All", "application/json",
       R"({"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,)"
       R"("preconditions":{"uid":"u1","resourceVersion":"7"},"propagationPolicy":"Foreground",)"
       R"("dryRun":["All"]})"},
  };
  ASSERT_EQ(fake.requests.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].url);
    EXPECT_EQ(fake.requests[i].method, expected[i].method);
    EXPECT_EQ(fake.requests[i].url, expected[i].url);
    EXPECT_EQ(fake.requests[i].Header("Content-Type"), expected[i].content_type);
    EXPECT_EQ(fake.requests[i].Header("Accept"), "application/json");
    EXPECT_EQ(fake.requests[i].body, expected[i].body);
  }
}

TEST(RestClientTest, ListFollowsContinueAndFillsItemKinds) {
  RecordingTransport fake;
  fake.responses = {
      Respond(
          200,
          R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10","continue":"c1"},"items":[{"metadata":{"name":"a"}}]})"),
      Respond(
          200,
          R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"11"},"items":[{"metadata":{"name":"b"}}]})"),
  };
  RestClient client(fake, "https://k", std::chrono::seconds(30));
  auto list = client.List(kPods, "a", {.label_selector = "app=web,tier in (x,y)", .limit = 1});
  ASSERT_TRUE(list.ok()) << list.error().message();
  EXPECT_EQ(ToJson(*list),
            R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"11"},"items":[)"
            R"({"metadata":{"name":"a"},"apiVersion":"v1","kind":"Pod"},)"
            R"({"metadata":{"name":"b"},"apiVersion":"v1","kind":"Pod"}]})");
  ASSERT_EQ(fake.requests.size(), 2u);
  EXPECT_EQ(fake.requests[0].url,
            "https://k/api/v1/namespaces/a/pods?labelSelector=app%3Dweb%2Ctier+in+%28x%2Cy%29"
            "&limit=1&timeout=30s");
  EXPECT_EQ(fake.requests[1].url,
            "https://k/api/v1/namespaces/a/pods?labelSelector=app%3Dweb%2Ctier+in+%28x%2Cy%29"
            "&limit=1&continue=c1&timeout=30s");
  EXPECT_EQ(fake.requests[0].timeout.count(), 30000);
}

TEST(RestClientTest, ErrorsCarryTheServerStatus) {
  RecordingTransport fake;
  fake.responses = {
      Respond(
          404,
          R"({"kind":"Status","status":"Failure","message":"deployments.apps \"web\" not found","reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404})"),
      testing::Fail(
          NetworkFailure::kConnect,
          "The connection to the server k was refused - did you specify the right host or port?")};
  RestClient client(fake, "https://k", std::chrono::milliseconds(0));
  auto missing = client.Get(kDeployments, "a", "web");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(IsNotFound(missing.error()));
  EXPECT_EQ(missing.error().message(), "deployments.apps \"web\" not found");
  EXPECT_EQ(missing.error().status()->group, "apps");
  auto refused = client.Get(kDeployments, "a", "web");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(refused.error().message(),
            "The connection to the server k was refused - did you specify the right host or port?");
}

}  // namespace
}  // namespace mm::kubeapi
