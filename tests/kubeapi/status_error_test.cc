#include "kubeapi/status_error.h"

#include <gtest/gtest.h>

#include "tests/kubeapi/fakes.h"

namespace mm::kubeapi {
namespace {

using testing::Fail;
using testing::Respond;

TEST(StatusErrorTest, ServerStatusIsKeptWhole) {
  Error error = ErrorFromResponse(
      Respond(
          422,
          R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
          R"("message":"Pod \"x\" is invalid: spec.containers: Required value",)"
          R"("reason":"Invalid","details":{"name":"x","kind":"Pod","causes":[)"
          R"({"reason":"FieldValueRequired","message":"Required value","field":"spec.containers"}]},)"
          R"("code":422})"),
      "POST");
  ASSERT_EQ(error.kind(), ErrorKind::kApi);
  EXPECT_TRUE(IsInvalid(error));
  EXPECT_EQ(*error.status(),
            (ApiStatus{422,
                       "Invalid",
                       "Pod \"x\" is invalid: spec.containers: Required value",
                       "",
                       "Pod",
                       "x",
                       {{"FieldValueRequired", "Required value", "spec.containers"}},
                       0}));
  EXPECT_EQ(error.message(), "Pod \"x\" is invalid: spec.containers: Required value");
}

TEST(StatusErrorTest, GenericStatusForBodiesThatAreNotStatus) {
  struct Case {
    int code;
    std::string method;
    std::string body;
    std::string reason;
    std::string message;
  };
  const Case cases[] = {
      {404, "GET", "404 page not found", "NotFound",
       "the server could not find the requested resource"},
      {409, "POST", "", "AlreadyExists", "the server reported a conflict"},
      {409, "PUT", "", "Conflict", "the server reported a conflict"},
      {401, "GET", "", "Unauthorized",
       "the server has asked for the client to provide credentials"},
      {403, "GET", "", "Forbidden", "the server does not allow access to the requested resource"},
      {429, "GET", "", "TooManyRequests",
       "the server has received too many requests and has asked us to try again later"},
      {502, "GET", "bad gateway", "InternalError",
       "an error on the server (\"bad gateway\") has prevented the request from succeeding"},
      {418, "GET", "", "",
       "the server responded with the status code 418 but did not return more information"},
  };
  for (const Case& c : cases) {
    Error error = ErrorFromResponse(Respond(c.code, c.body), c.method);
    ASSERT_TRUE(error.status().has_value());
    EXPECT_EQ(error.status()->code, c.code);
    EXPECT_EQ(error.status()->reason, c.reason) << c.code;
    EXPECT_EQ(error.message(), c.message) << c.code;
  }
}

TEST(StatusErrorTest, HelpersRecogniseReasons) {
  auto status = [](int code, const char* reason) {
    return ErrorFromResponse(Respond(code, std::string(R"({"kind":"Status","reason":")") + reason +
                                               R"(","code":)" + std::to_string(code) + "}"),
                             "GET");
  };
  EXPECT_TRUE(IsNotFound(status(404, "NotFound")));
  EXPECT_TRUE(IsAlreadyExists(status(409, "AlreadyExists")));
  EXPECT_TRUE(IsConflict(status(409, "Conflict")));
  EXPECT_FALSE(IsConflict(status(409, "AlreadyExists")));
  EXPECT_TRUE(IsGone(status(410, "Expired")));
  EXPECT_TRUE(IsGone(status(410, "Gone")));
  EXPECT_TRUE(IsUnauthorized(status(401, "Unauthorized")));
  EXPECT_TRUE(IsTooManyRequests(status(429, "TooManyRequests")));
}

TEST(StatusErrorTest, FailuresBecomeTransportOrInterrupted) {
  Error refused = ErrorFromFailure(
      Fail(NetworkFailure::kConnect, "The connection to the server x was refused"));
  EXPECT_EQ(refused.kind(), ErrorKind::kTransport);
  EXPECT_EQ(refused.message(), "The connection to the server x was refused");
  EXPECT_EQ(ErrorFromFailure(Fail(NetworkFailure::kCancelled)).kind(), ErrorKind::kInterrupted);
}

}  // namespace
}  // namespace mm::kubeapi
