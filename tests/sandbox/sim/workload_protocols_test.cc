#include "tests/sandbox/sim/workload_protocols.h"

#include <gtest/gtest.h>

namespace sandbox::sim {
namespace {

std::string Drain(WorkloadProtocol& p, size_t chunk = 1 << 20) {
  std::string out;
  for (std::string_view part = p.Produce(chunk); !part.empty(); part = p.Produce(chunk)) {
    out += part;
  }
  return out;
}

TEST(WorkloadProtocolsTest, PingAnswersWithTheVersionAndKeepsTheConnection) {
  auto http = MakeWorkloadProtocol(PortKind::kMattermostHttp, "10.5.2");
  // A request split across reads, then a second one on the same connection.
  http->Receive("GET /api/v4/system/ping HTTP/1.1\r\nHo");
  EXPECT_EQ(Drain(*http), "");
  http->Receive("st: x\r\n\r\n");
  EXPECT_EQ(Drain(*http),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 34\r\n\r\n"
            R"({"status":"OK","version":"10.5.2"})");
  EXPECT_FALSE(http->Finished());
  http->Receive("GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n");
  std::string not_found = Drain(*http);
  EXPECT_EQ(not_found.substr(0, not_found.find("\r\n")), "HTTP/1.1 404 Not Found");
  EXPECT_NE(not_found.find("Connection: close\r\n"), std::string::npos);
  EXPECT_NE(not_found.find(R"("status_code":404)"), std::string::npos);
  EXPECT_TRUE(http->Finished());
}

TEST(WorkloadProtocolsTest, HttpEndsWhenTheClientDoes) {
  auto http = MakeWorkloadProtocol(PortKind::kMattermostHttp, "10.5.2");
  http->ReceiveEnd();
  EXPECT_TRUE(http->Finished());
}

TEST(WorkloadProtocolsTest, MetricsServesPrometheusText) {
  auto metrics = MakeWorkloadProtocol(PortKind::kMetrics, "9.11.1");
  metrics->Receive("GET /metrics HTTP/1.0\r\n\r\n");
  std::string out = Drain(*metrics);
  EXPECT_EQ(out.substr(0, out.find("\r\n")), "HTTP/1.1 200 OK");
  EXPECT_NE(out.find("\nmattermost_system_server_version{version=\"9.11.1\"} 1\n"),
            std::string::npos)
      << out;
  EXPECT_TRUE(metrics->Finished());  // HTTP/1.0 without keep-alive
}

TEST(WorkloadProtocolsTest, BulkStreamsExactlyTheRequestedPattern) {
  auto bulk = MakeWorkloadProtocol(PortKind::kBulk, "");
  bulk->Receive("10000");
  EXPECT_EQ(bulk->Produce(100), "");
  bulk->Receive("0\r\n");
  std::string out = Drain(*bulk, 4096);  // crosses chunk boundaries off the 26-byte period
  ASSERT_EQ(out.size(), 100000u);
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i], BulkPatternByte(i)) << i;
  }
  EXPECT_EQ(out.substr(0, 28), "abcdefghijklmnopqrstuvwxyzab");
  EXPECT_TRUE(bulk->Finished());
}

TEST(WorkloadProtocolsTest, BulkServesLargeRequestsInViewsOfAtMost256KiB) {
  auto bulk = MakeWorkloadProtocol(PortKind::kBulk, "");
  bulk->Receive("1000001\n");
  std::string out;
  for (std::string_view part = bulk->Produce(1 << 20); !part.empty();
       part = bulk->Produce(1 << 20)) {
    EXPECT_LE(part.size(), 256u * 1024);
    out += part;
  }
  ASSERT_EQ(out.size(), 1000001u);
  for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], BulkPatternByte(i)) << i;
  EXPECT_TRUE(bulk->Finished());
}

TEST(WorkloadProtocolsTest, BulkRefusesGarbage) {
  auto bulk = MakeWorkloadProtocol(PortKind::kBulk, "");
  bulk->Receive("lots\n");
  EXPECT_EQ(Drain(*bulk), "error: send a decimal byte count and a newline\n");
  EXPECT_TRUE(bulk->Finished());
  auto empty = MakeWorkloadProtocol(PortKind::kBulk, "");
  empty->ReceiveEnd();
  EXPECT_TRUE(empty->Finished());
  EXPECT_EQ(Drain(*empty), "");
}

}  // namespace
}  // namespace sandbox::sim
