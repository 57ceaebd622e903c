#include "kubeapi/manifest_reader.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm::kubeapi {
namespace {

std::vector<std::string> AsJson(const std::vector<rapidjson::Document>& objects) {
  std::vector<std::string> out;
  for (const rapidjson::Document& object : objects) out.push_back(ToJson(object));
  return out;
}

TEST(ManifestReaderTest, DocumentsListsAndExactTypes) {
  const std::string text =
      "apiVersion: apps/v1\n"
      "kind: Deployment\n"
      "metadata: {name: web}\n"
      "spec:\n"
      "  replicas: 0\n"
      "  template: {spec: {containers: [{name: c, env: [{name: PORT, value: \"8065\"}],"
      " ports: [{containerPort: 8065}], x-unknown: yes}]}}\n"
      "---\n"
      "# only a comment\n"
      "---\n"
      "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
      "  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}},\n"
      "  {\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"b\"}}]}\n";
  auto objects = ReadManifests(text, "install.yaml");
  ASSERT_TRUE(objects.ok()) << objects.error().message();
  EXPECT_EQ(AsJson(*objects),
            (std::vector<std::string>{
                R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},)"
                R"("spec":{"replicas":0,"template":{"spec":{"containers":[{"name":"c","env":[)"
                R"({"name":"PORT","value":"8065"}],"ports":[{"containerPort":8065}],)"
                R"("x-unknown":true}]}}}})",
                R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}})",
                R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}})"}));
}

TEST(ManifestReaderTest, ErrorsUseKubectlsTexts) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"apiVersion: v1\nmetadata: {name: x}\n",
       "unable to decode \"f.yaml\": Object 'Kind' is missing in "
       "'{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}'"},
      {"kind: ConfigMap\nmetadata: {name: x}\n",
       "unable to decode \"f.yaml\": Object 'apiVersion' is missing in "
       "'{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}'"},
      {"- a\n- b\n", "unable to decode \"f.yaml\": Object 'Kind' is missing in '[\"a\",\"b\"]'"},
      {"apiVersion: v1\nkind: List\nitems:\n- {kind: ConfigMap}\n",
       "unable to decode \"f.yaml\": Object 'apiVersion' is missing in '{\"kind\":\"ConfigMap\"}'"},
      {"apiVersion: v1\nkind: ConfigMap\ndata: [\n",
       "error parsing f.yaml: error converting YAML to JSON: yaml: line 4, column 1: end of "
       "sequence flow not found"},
  };
  for (const Case& c : cases) {
    auto objects = ReadManifests(c.text, "f.yaml");
    ASSERT_FALSE(objects.ok()) << c.text;
    EXPECT_EQ(objects.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(objects.error().message(), c.error);
  }
}

TEST(ManifestReaderTest, UnreadableFile) {
  auto objects = ReadManifestFile("/nonexistent/m.yaml");
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.error().message(), "open /nonexistent/m.yaml: no such file or directory");
}

}  // namespace
}  // namespace mm::kubeapi
