#include "kubeapi/logging_transport.h"

#include <gtest/gtest.h>

#include <sstream>

#include "kubeapi/redaction.h"
#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::Fail;
using testing::FakeClock;
using testing::RecordingTransport;
using testing::Respond;

constexpr char kSecret[] =
    R"({"kind":"Secret","apiVersion":"v1","metadata":{"name":"db"},"data":{"password":"c2VjcmV0"},"stringData":{"user":"admin"}})";
constexpr char kRedactedSecret[] =
    R"({"kind":"Secret","apiVersion":"v1","metadata":{"name":"db"},"data":{"password":"<redacted>"},"stringData":{"user":"<redacted>"}})";

std::string LogOf(int verbosity, HttpResponse answer, const HttpRequest& request) {
  RecordingTransport fake;
  FakeClock clock;
  fake.responses.push_back(std::move(answer));
  fake.on_request = [&](const HttpRequest&) { clock.Advance(std::chrono::milliseconds(12)); };
  std::ostringstream out;
  LoggingTransport logging(fake, verbosity, out, clock);
  logging.RoundTrip(request);
  return out.str();
}

TEST(LoggingTransportTest, LevelsLikeKubectl) {
  HttpRequest request{
      .method = "POST",
      .url = "https://k/api/v1/namespaces/a/secrets",
      .headers = {{"Accept", "application/json"}, {"Authorization", "Bearer very-secret-token"}},
      .body = kSecret};
  HttpResponse created = Respond(201, kSecret);
  EXPECT_EQ(LogOf(0, created, request), "");
  EXPECT_EQ(LogOf(6, created, request),
            "POST https://k/api/v1/namespaces/a/secrets 201 Created in 12 milliseconds\n");
  EXPECT_EQ(LogOf(7, created, request),
            "POST https://k/api/v1/namespaces/a/secrets\n"
            "Request Headers:\n"
            "    Accept: application/json\n"
            "    Authorization: Bearer <masked>\n"
            "POST https://k/api/v1/namespaces/a/secrets 201 Created in 12 milliseconds\n");
  EXPECT_EQ(LogOf(8, created, request),
            "POST https://k/api/v1/namespaces/a/secrets\n"
            "Request Headers:\n"
            "    Accept: application/json\n"
            "    Authorization: Bearer <masked>\n"
            "Request Body: " +
                std::string(kRedactedSecret) + "\n" +
                "POST https://k/api/v1/namespaces/a/secrets 201 Created in 12 milliseconds\n"
                "Response Body: " +
                kRedactedSecret + "\n");
  EXPECT_EQ(LogOf(6, Fail(NetworkFailure::kConnect), {.method = "GET", .url = "https://k/version"}),
            "GET https://k/version in 12 milliseconds\n");
}

TEST(LoggingTransportTest, LongBodiesAreTruncatedAtLevel8) {
  std::string body = "\"" + std::string(2000, 'x') + "\"";
  std::string log = LogOf(8, Respond(200, body), {.method = "GET", .url = "https://k/x"});
  EXPECT_NE(log.find("Response Body: \"" + std::string(1023, 'x') + " [truncated 978 chars]\n"),
            std::string::npos)
      << log;
}

TEST(RedactionTest, SecretsTokensAndHeaders) {
  struct Case {
    std::string body;
    std::string redacted;
  };
  const Case cases[] = {
      {kSecret, kRedactedSecret},
      {R"({"kind":"SecretList","items":[{"data":{"a":"YQ=="}}]})",
       R"({"kind":"SecretList","items":[{"data":{"a":"YQ=="}}]})"},  // items without kind: kept
      {R"({"kind":"SecretList","items":[{"kind":"Secret","data":{"a":"YQ=="}}]})",
       R"({"kind":"SecretList","items":[{"kind":"Secret","data":{"a":"<redacted>"}}]})"},
      {R"({"type":"ADDED","object":{"kind":"Secret","data":{"a":"YQ=="}}})",
       R"({"type":"ADDED","object":{"kind":"Secret","data":{"a":"<redacted>"}}})"},
      {R"({"kind":"TokenRequest","status":{"token":"eyJ","expirationTimestamp":"x"}})",
       R"({"kind":"TokenRequest","status":{"token":"<redacted>","expirationTimestamp":"x"}})"},
      {R"({"kind":"ConfigMap","data":{"a":"b"}})", R"({"kind":"ConfigMap","data":{"a":"b"}})"},
      {"plain text", "plain text"},
      {"kind: Secret\ndata: {a: b}", "<body withheld: not JSON and mentions a Secret>"},
  };
  for (const Case& c : cases) EXPECT_EQ(RedactBody(c.body), c.redacted) << c.body;
  EXPECT_EQ(RedactHeader("authorization", "Basic Ym9iOnNlY3JldA=="), "Basic <masked>");
  EXPECT_EQ(RedactHeader("Authorization", "opaque"), "<masked>");
  EXPECT_EQ(RedactHeader("Accept", "application/json"), "application/json");
}

}  // namespace
}  // namespace mm::kubeapi
