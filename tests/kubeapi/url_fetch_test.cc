#include "kubeapi/url_fetch.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::Fail;
using testing::RecordingTransport;
using testing::Respond;

TEST(UrlFetchTest, TellsUrlsFromFiles) {
  EXPECT_TRUE(IsUrl("https://example.com/a.yaml"));
  EXPECT_TRUE(IsUrl("http://127.0.0.1:8000/a.yaml"));
  EXPECT_FALSE(IsUrl("./http://a.yaml"));
  EXPECT_FALSE(IsUrl("manifest.yaml"));
}

TEST(UrlFetchTest, FollowsRedirectsToTheDocument) {
  RecordingTransport transport;
  transport.responses.push_back(Respond(302, "", {{"location", "https://cdn.example.com/x/a"}}));
  transport.responses.push_back(Respond(301, "", {{"location", "/y/b.yaml"}}));
  transport.responses.push_back(Respond(307, "", {{"location", "c.yaml"}}));
  transport.responses.push_back(Respond(200, "kind: List\n"));
  auto body = FetchUrl(transport, "https://example.com/release/op.yaml", std::chrono::seconds(5));
  ASSERT_TRUE(body.ok()) << body.error().message();
  EXPECT_EQ(*body, "kind: List\n");
  ASSERT_EQ(transport.requests.size(), 4u);
  EXPECT_EQ(transport.requests[0].url, "https://example.com/release/op.yaml");
  EXPECT_EQ(transport.requests[1].url, "https://cdn.example.com/x/a");
  EXPECT_EQ(transport.requests[2].url, "https://cdn.example.com/y/b.yaml");
  EXPECT_EQ(transport.requests[3].url, "https://cdn.example.com/y/c.yaml");
  EXPECT_EQ(transport.requests[0].method, "GET");
  EXPECT_EQ(transport.requests[0].timeout, std::chrono::seconds(5));
}

TEST(UrlFetchTest, ReportsFailuresInKubectlsWords) {
  RecordingTransport transport;
  transport.responses.push_back(Respond(404, "no"));
  auto missing = FetchUrl(transport, "http://h/op.yaml", std::chrono::seconds(5));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "unable to read URL \"http://h/op.yaml\", server reported 404 Not Found, status "
            "code=404");

  transport.responses.push_back(Fail(NetworkFailure::kConnect, "connection refused"));
  auto down = FetchUrl(transport, "http://h/op.yaml", std::chrono::seconds(5));
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(down.error().message(), "unable to read URL \"http://h/op.yaml\": connection refused");

  transport.responses.push_back(Respond(302, "", {{"location", "http://h/plain.yaml"}}));
  auto downgrade = FetchUrl(transport, "https://h/op.yaml", std::chrono::seconds(5));
  ASSERT_FALSE(downgrade.ok());
  EXPECT_EQ(downgrade.error().message(),
            "unable to read URL \"https://h/op.yaml\": refusing a redirect from https to "
            "http://h/plain.yaml");

  for (int i = 0; i < 11; ++i) {
    transport.responses.push_back(Respond(302, "", {{"location", "/again"}}));
  }
  auto loop = FetchUrl(transport, "http://h/op.yaml", std::chrono::seconds(5));
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.error().message(),
            "unable to read URL \"http://h/op.yaml\": stopped after 10 "
            "redirects");
}

}  // namespace
}  // namespace mm::kubeapi
