#include "plugin/status/status_table.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "kubeapi/exec_credential.h"

namespace mm {
namespace {

rapidjson::Document Parse(const char* text) {
  auto document = ParseJson(text);
  EXPECT_TRUE(document.ok());
  return std::move(*document);
}

TEST(StatusTableTest, RowsAndColumns) {
  auto now = *kubeapi::ParseRfc3339("2026-01-02T03:04:05Z");
  auto stable = Parse(R"({"metadata":{"name":"demo","namespace":"chat","generation":2,
      "creationTimestamp":"2026-01-02T02:59:05Z"},
      "spec":{"image":"mattermost/mattermost-enterprise-edition","version":"10.8.1","replicas":2},
      "status":{"state":"stable","endpoint":"demo.local","updatedReplicas":2,"replicas":2,
      "observedGeneration":2}})");
  auto fresh = Parse(R"({"metadata":{"name":"new-one","namespace":"team",
      "creationTimestamp":"2026-01-02T03:04:00Z"},"spec":{}})");
  std::vector<StatusRow> rows = {StatusRowFor(stable, now, "client"),
                                 StatusRowFor(fresh, now, "operator")};
  EXPECT_EQ(FormatStatusTable(rows, false, false),
            "NAME      STATE    VERSION   REPLICAS   ENDPOINT     AGE   MODE       ERROR\n"
            "demo      stable   10.8.1    2/2        demo.local   5m    client     <none>\n"
            "new-one   <none>   <none>    0/1        <none>       5s    operator   <none>\n");
}

TEST(StatusTableTest, AllNamespacesAndWide) {
  auto now = *kubeapi::ParseRfc3339("2026-01-02T03:04:05Z");
  auto failing = Parse(R"({"metadata":{"name":"b","namespace":"ns","generation":3,
      "creationTimestamp":"2025-12-30T03:04:05Z"},
      "spec":{"image":"mm","version":"9.0"},
      "status":{"state":"reconciling","error":"update image job failed","observedGeneration":2}})");
  EXPECT_EQ(FormatStatusTable({StatusRowFor(failing, now, "client")}, true, true),
            "NAMESPACE   NAME   STATE         VERSION   REPLICAS   ENDPOINT   AGE   MODE     "
            "ERROR                     IMAGE    OBSERVED\n"
            "ns          b      reconciling   9.0       0/1        <none>     3d    client   "
            "update image job failed   mm:9.0   2/3\n");
}

}  // namespace
}  // namespace mm
