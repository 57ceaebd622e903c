#include "tests/sandbox/api_server.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "tests/sandbox/table.h"
#include "tests/sandbox/watch.h"

namespace sandbox {
namespace {

class ApiServerTest : public testing::Test {
 protected:
  ApiServerTest() : api_(Config()) {
    api_.authorizer().AddToken("admin",
                               {"admin", {"system:masters", "system:authenticated"}, true});
    api_.authorizer().AddToken("viewer",
                               {"viewer", {"sandbox:viewers", "system:authenticated"}, true});
    api_.Seed();
  }

  static ServerConfig Config() {
    ServerConfig config;
    config.watch_window = 5;
    config.clock = [] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1735689600));
    };
    return config;
  }

  Response Call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& token = "admin", const std::string& content_type = "") {
    Request r;
    r.method = method;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = ParseQuery(target.substr(q + 1));
    r.body = body;
    r.content_type = content_type.empty() && !body.empty() ? "application/json" : content_type;
    if (!token.empty()) r.authorization = "Bearer " + token;
    r.user_agent = "test/1.0";
    r.accept = accept_;
    return api_.Handle(r);
  }

  // `path` is dotted; numeric steps index lists ("rows.0.cells").
  static std::string Field(const Response& r, const std::string& path) {
    auto doc = mm::ParseJson(r.body);
    std::string json_path;
    size_t start = 0;
    while (start <= path.size()) {
      size_t dot = path.find('.', start);
      std::string step = path.substr(start, dot == std::string::npos ? dot : dot - start);
      bool index = !step.empty() && std::isdigit(static_cast<unsigned char>(step[0]));
      json_path += index ? "[" + step + "]" : "." + step;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    const Json* v = doc ? EvalJsonPath(*doc, json_path) : nullptr;
    return v ? (v->IsString() ? std::string(StrView(*v)) : Dump(*v)) : "<missing>";
  }

  ApiServer api_;
  std::string accept_ = "application/json";
};

TEST_F(ApiServerTest, VersionAndHealthAreAnonymous) {
  Response version = Call("GET", "/version", "", "");
  EXPECT_EQ(version.code, 200);
  EXPECT_EQ(Field(version, "minor"), "32");
  EXPECT_EQ(Field(version, "gitVersion"), "v1.32.4");
  EXPECT_EQ(Call("GET", "/readyz", "", "").body, "ok");
}

TEST_F(ApiServerTest, AuthenticationAndAuthorizationFailuresAreStatuses) {
  Response anonymous = Call("GET", "/api/v1/namespaces", "", "");
  EXPECT_EQ(anonymous.code, 401);
  EXPECT_EQ(
      anonymous.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces", "", "wrong").code, 401);
  Response forbidden = Call("POST", "/api/v1/namespaces/default/configmaps",
                            R"({"metadata":{"name":"c"}})", "viewer");
  EXPECT_EQ(forbidden.code, 403);
  EXPECT_EQ(Field(forbidden, "message"),
            "configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API "
            "group \"\" in the namespace \"default\"");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/configmaps", "", "viewer").code, 200);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/secrets", "", "viewer").code, 403);
  Response review =
      Call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
           R"({"spec":{"resourceAttributes":{"verb":"delete","resource":"pods"}}})", "viewer");
  EXPECT_EQ(review.code, 201);
  EXPECT_EQ(Field(review, "status.allowed"), "false");
}

TEST_F(ApiServerTest, CreateGetConflictAndValidation) {
  Response created =
      Call("POST", "/api/v1/namespaces/default/configmaps?fieldManager=me",
           R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}})");
  EXPECT_EQ(created.code, 201);
  EXPECT_EQ(Field(created, "metadata.creationTimestamp"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(
      Field(created, "metadata.managedFields"),
      R"([{"manager":"me","operation":"Update","apiVersion":"v1","time":"2025-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}])");
  Response again =
      Call("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"c"}})");
  EXPECT_EQ(again.code, 409);
  EXPECT_EQ(Field(again, "reason"), "AlreadyExists");
  EXPECT_EQ(Field(again, "message"), "configmaps \"c\" already exists");
  Response missing = Call("GET", "/apis/apps/v1/namespaces/default/deployments/web");
  EXPECT_EQ(missing.code, 404);
  EXPECT_EQ(
      missing.body,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"web\" not found","reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404})");
  Response no_ns =
      Call("POST", "/api/v1/namespaces/nope/configmaps", R"({"metadata":{"name":"c"}})");
  EXPECT_EQ(no_ns.code, 404);
  EXPECT_EQ(Field(no_ns, "message"), "namespaces \"nope\" not found");
  Response bad_name =
      Call("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"Bad_Name"}})");
  EXPECT_EQ(bad_name.code, 422);
  EXPECT_EQ(Field(bad_name, "message"),
            "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a "
            "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
            "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            "regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  EXPECT_EQ(Call("POST", "/api/v1/namespaces/default/configmaps", "{bad").code, 400);
  EXPECT_EQ(Call("POST", "/api/v1/namespaces/default/configmaps", "x", "admin", "text/plain").code,
            415);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/nosuchthings").code, 404);
}

TEST_F(ApiServerTest, UpdateChecksResourceVersionAndBumpsGeneration) {
  const char* deployment =
      R"({"metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"a":"b"}},
          "template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}})";
  Response created = Call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment);
  ASSERT_EQ(created.code, 201) << created.body;
  std::string rv = Field(created, "metadata.resourceVersion");
  auto doc = mm::ParseJson(created.body);
  (*doc)["spec"]["replicas"] = 3;
  Response updated = Call("PUT", "/apis/apps/v1/namespaces/default/deployments/web", Dump(*doc));
  EXPECT_EQ(updated.code, 200);
  EXPECT_EQ(Field(updated, "metadata.generation"), "2");
  Response stale = Call("PUT", "/apis/apps/v1/namespaces/default/deployments/web", Dump(*doc));
  EXPECT_EQ(stale.code, 409);
  EXPECT_EQ(Field(stale, "message"),
            "Operation cannot be fulfilled on deployments.apps \"web\": the object has been "
            "modified; please apply your changes to the latest version and try again");
  Response labelled =
      Call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
           R"({"metadata":{"labels":{"x":"y"}}})", "admin", "application/merge-patch+json");
  EXPECT_EQ(Field(labelled, "metadata.generation"), "2");
  Response scale = Call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
                        R"({"spec":{"replicas":5}})", "admin", "application/merge-patch+json");
  EXPECT_EQ(Field(scale, "kind"), "Scale");
  EXPECT_EQ(Field(scale, "spec.replicas"), "5");
  EXPECT_EQ(Field(scale, "status.selector"), "a=b");
}

TEST_F(ApiServerTest, ListPaginatesConsistently) {
  for (const char* name : {"a", "b", "c"}) {
    Call("POST", "/api/v1/namespaces/default/configmaps",
         std::string(R"({"metadata":{"name":")") + name + R"(","labels":{"k":"v"}}})");
  }
  Response first = Call("GET", "/api/v1/namespaces/default/configmaps?limit=2&labelSelector=k%3Dv");
  EXPECT_EQ(Field(first, "kind"), "ConfigMapList");
  auto doc = mm::ParseJson(first.body);
  ASSERT_EQ((*doc)["items"].Size(), 2u);
  std::string token = Field(first, "metadata.continue");
  Call("POST", "/api/v1/namespaces/default/configmaps",
       R"({"metadata":{"name":"d","labels":{"k":"v"}}})");
  Response second = Call(
      "GET", "/api/v1/namespaces/default/configmaps?limit=2&labelSelector=k%3Dv&continue=" + token);
  auto next = mm::ParseJson(second.body);
  ASSERT_EQ((*next)["items"].Size(), 1u) << second.body;
  EXPECT_EQ(Str((*next)["items"][0]["metadata"], "name"), "c");
  EXPECT_EQ(Field(second, "metadata.continue"), "<missing>");
}

class Sink : public StreamSink {
 public:
  void Write(std::string data) override { lines += data; }
  void End() override { ended = true; }
  std::string lines;
  bool ended = false;
};

TEST_F(ApiServerTest, WatchStreamsEventsAndExpiresOldVersions) {
  Response list = Call("GET", "/api/v1/namespaces/default/configmaps");
  std::string rv = Field(list, "metadata.resourceVersion");
  Response watch =
      Call("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + rv);
  ASSERT_TRUE(watch.stream);
  Sink sink;
  watch.stream->Start(&sink);
  Call("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"w"}})");
  Call("DELETE", "/api/v1/namespaces/default/configmaps/w");
  watch.stream->Stop();
  EXPECT_EQ(sink.lines.rfind(R"({"type":"ADDED","object":{"metadata":{"name":"w")", 0), 0u)
      << sink.lines;
  EXPECT_NE(sink.lines.find(R"({"type":"DELETED")"), std::string::npos);
  for (int i = 0; i < 6; ++i) {
    Call("POST", "/api/v1/namespaces/default/configmaps",
         R"({"metadata":{"name":"x)" + std::to_string(i) + R"("}})");
  }
  Response old =
      Call("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv);
  Sink expired;
  old.stream->Start(&expired);
  EXPECT_TRUE(expired.ended);
  EXPECT_EQ(
      expired.lines.rfind(
          R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: )",
          0),
      0u)
      << expired.lines;
  EXPECT_NE(expired.lines.find(R"("reason":"Expired","code":410}})"), std::string::npos);
}

TEST_F(ApiServerTest, DiscoveryNegotiatesAggregatedVersion) {
  accept_ =
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
  Response beta = Call("GET", "/apis");
  EXPECT_EQ(beta.content_type,
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
  accept_ = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
  EXPECT_EQ(Field(Call("GET", "/api"), "apiVersion"), "apidiscovery.k8s.io/v2");
  accept_ = "application/json, */*";
  Response legacy = Call("GET", "/apis");
  EXPECT_EQ(legacy.content_type, "application/json");
  EXPECT_EQ(Field(legacy, "kind"), "APIGroupList");
}

TEST_F(ApiServerTest, TablesCarryServerSideColumns) {
  Call("POST", "/api/v1/namespaces/default/configmaps",
       R"({"metadata":{"name":"t"},"data":{"a":"1","b":"2"}})");
  accept_ = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  Response table = Call("GET", "/api/v1/namespaces/default/configmaps");
  EXPECT_EQ(table.content_type, "application/json;as=Table;v=v1;g=meta.k8s.io");
  EXPECT_EQ(Field(table, "columnDefinitions.1.name"), "Data");
  EXPECT_EQ(Field(table, "rows.0.cells"), R"(["t",2,"0s"])");
  EXPECT_EQ(Field(table, "rows.0.object.kind"), "PartialObjectMetadata");
  EXPECT_EQ(Field(table, "rows.0.object.metadata.name"), "t");
}

TEST_F(ApiServerTest, CustomResourcesFollowTheirSchema) {
  Response crd = Call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", R"({
    "metadata":{"name":"widgets.example.com"},
    "spec":{"group":"example.com","scope":"Namespaced",
      "names":{"plural":"widgets","kind":"Widget"},
      "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{
        "type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}}]}})");
  ASSERT_EQ(crd.code, 201) << crd.body;
  EXPECT_EQ(Field(crd, "status.conditions.1.type"), "Established");
  Response ok = Call("POST", "/apis/example.com/v1/namespaces/default/widgets",
                     R"({"metadata":{"name":"w"},"spec":{"size":1,"junk":true}})");
  ASSERT_EQ(ok.code, 201) << ok.body;
  EXPECT_EQ(Field(ok, "spec"), R"({"size":1})");
  Response bad = Call("POST", "/apis/example.com/v1/namespaces/default/widgets",
                      R"({"metadata":{"name":"x"},"spec":{"size":"big"}})");
  EXPECT_EQ(bad.code, 422);
  EXPECT_EQ(Field(bad, "message"),
            "Widget.example.com \"x\" is invalid: spec.size: Invalid value: \"big\": spec.size in "
            "body must be of type integer: \"string\"");
  Response smp = Call("PATCH", "/apis/example.com/v1/namespaces/default/widgets/w", "{}", "admin",
                      "application/strategic-merge-patch+json");
  EXPECT_EQ(smp.code, 415);
  // Deleting the CRD deletes its objects, and the garbage collector then their dependents.
  Response dependent = Call(
      "POST", "/api/v1/namespaces/default/configmaps",
      R"({"metadata":{"name":"of-w","ownerReferences":[{"apiVersion":"example.com/v1","kind":"Widget","name":"w","uid":")" +
          Field(ok, "metadata.uid") + R"("}]}})");
  ASSERT_EQ(dependent.code, 201) << dependent.body;
  EXPECT_EQ(
      Call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
          .code,
      200);
  EXPECT_EQ(Call("GET", "/apis/example.com/v1/namespaces/default/widgets/w").code, 404);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/configmaps/of-w").code, 404);
}

TEST_F(ApiServerTest, DeletionHonoursFinalizersAndOwners) {
  Response owner =
      Call("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"owner"}})");
  std::string uid = Field(owner, "metadata.uid");
  Call(
      "POST", "/api/v1/namespaces/default/secrets",
      R"({"metadata":{"name":"dep","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":")" +
          uid + R"("}]}})");
  Call("POST", "/api/v1/namespaces/default/configmaps",
       R"({"metadata":{"name":"held","finalizers":["example.com/hold"]}})");
  Response held = Call("DELETE", "/api/v1/namespaces/default/configmaps/held");
  EXPECT_EQ(held.code, 200);
  EXPECT_NE(Field(held, "metadata.deletionTimestamp"), "<missing>");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/configmaps/held").code, 200);
  Call("PATCH", "/api/v1/namespaces/default/configmaps/held", R"({"metadata":{"finalizers":null}})",
       "admin", "application/merge-patch+json");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/configmaps/held").code, 404);
  Call("DELETE", "/api/v1/namespaces/default/configmaps/owner",
       R"({"propagationPolicy":"Background"})");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/secrets/dep").code, 404);
}

TEST_F(ApiServerTest, ForegroundDeletionAndTerminatingNamespaces) {
  Call("POST", "/api/v1/namespaces", R"({"metadata":{"name":"team"}})");
  Response owner =
      Call("POST", "/api/v1/namespaces/team/configmaps", R"({"metadata":{"name":"o"}})");
  std::string uid = Field(owner, "metadata.uid");
  Call(
      "POST", "/api/v1/namespaces/team/configmaps",
      R"({"metadata":{"name":"d","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":")" +
          uid + R"("}]}})");
  Response deleted = Call("DELETE", "/api/v1/namespaces/team/configmaps/o",
                          R"({"propagationPolicy":"Foreground"})");
  EXPECT_EQ(deleted.code, 200);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/team/configmaps/d").code, 404);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/team/configmaps/o").code, 404);

  // A finalizer keeps the namespace Terminating; removing it lets the namespace go.
  Call("POST", "/api/v1/namespaces/team/secrets",
       R"({"metadata":{"name":"held","finalizers":["example.com/hold"]}})");
  Call("POST", "/api/v1/namespaces/team/configmaps", R"({"metadata":{"name":"plain"}})");
  Response terminating = Call("DELETE", "/api/v1/namespaces/team");
  EXPECT_EQ(Field(terminating, "status.phase"), "Terminating");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/team/configmaps/plain").code, 404);
  EXPECT_EQ(Field(Call("GET", "/api/v1/namespaces/team"), "status.phase"), "Terminating");
  Response refused =
      Call("POST", "/api/v1/namespaces/team/configmaps", R"({"metadata":{"name":"new"}})");
  EXPECT_EQ(refused.code, 403);
  EXPECT_EQ(Field(refused, "message"),
            "configmaps \"new\" is forbidden: unable to create new content in namespace team "
            "because it is being terminated");
  Call("PATCH", "/api/v1/namespaces/team/secrets/held", R"({"metadata":{"finalizers":null}})",
       "admin", "application/merge-patch+json");
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/team/secrets/held").code, 404);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/team").code, 404);
}

TEST_F(ApiServerTest, BadInputGetsAStatusNeverACrash) {
  struct Case {
    const char* method;
    std::string path;
    std::string content_type;
    std::string body;
    int code;
  };
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  const std::string deploy = "/apis/apps/v1/namespaces/default/deployments";
  Call("POST", cms, R"({"metadata":{"name":"x"}})");
  const Case cases[] = {
      {"POST", cms, "application/json", std::string(5000, '['), 400},
      {"POST", cms, "application/json", R"({"metadata":"str"})", 422},
      {"POST", cms, "application/json", R"({"metadata":{"name":"y","labels":["a"]},"data":7})",
       201},
      {"POST", deploy, "application/json", R"({"metadata":{"name":"d"},"spec":"x"})", 422},
      {"POST", deploy, "application/json",
       R"({"metadata":{"name":"d"},"spec":{"selector":{},"template":{"spec":{"containers":"c"}}}})",
       422},
      {"POST", cms, "application/json",
       R"({"metadata":{"name":"m","managedFields":[{"fieldsV1":{"i:99999999999999999999":{}}}]}})",
       201},
      {"POST", cms, "application/vnd.kubernetes.protobuf", std::string("k8s\0\x0a\xff", 6), 415},
      {"POST", cms, "application/yaml", "a: [1, 2\n", 400},
      {"PATCH", cms + "/x", "application/json-patch+json",
       R"([{"op":"add","path":"/data/99999999999999999999","value":1}])", 422},
      {"PATCH", cms + "/x", "application/json-patch+json", R"({"op":"add"})", 400},
      {"PATCH", cms + "/x", "application/merge-patch+json", "[1]", 400},
      {"PATCH", cms + "/x", "application/strategic-merge-patch+json",
       R"({"metadata":{"finalizers":{"$patch":"replace"}}})", 200},
      {"PATCH", cms + "/x", "application/apply-patch+yaml", "- a\n- b\n", 400},
      {"PATCH", cms + "/x?fieldManager=m", "application/apply-patch+yaml", "kind: [", 400},
      {"PATCH", cms + "/x", "text/plain", "{}", 415},
      {"PUT", cms + "/x", "application/json", R"({"metadata":{"name":"other"}})", 400},
      {"DELETE", cms + "/x", "application/json", "{bad", 400},
      {"GET", cms + "?limit=abc&continue=%%%", "", "", 400},
      {"GET", cms + "?watch=1&resourceVersion=abc", "", "", 400},
      {"GET", "/api/v1/namespaces/default/configmaps/x/nosub", "", "", 404},
      {"GET", "/apis/nogroup/v1/things", "", "", 404},
      {"GET", "/api/v1/namespaces", "", "", 200},
      {"POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json",
       R"({"metadata":{"name":"x"},"spec":{"versions":"v1"}})", 422},
  };
  for (const Case& c : cases) {
    Response r = Call(c.method, c.path, c.body, "admin", c.content_type);
    EXPECT_EQ(r.code, c.code) << c.method << " " << c.path << " " << c.body.substr(0, 80) << "\n"
                              << r.body;
    if (r.code >= 400) {
      EXPECT_EQ(Field(r, "kind"), "Status") << r.body;
    }
  }
}

}  // namespace
}  // namespace sandbox
