#include "core/error.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace mm {
namespace {

TEST(ErrorTest, ApiErrorsAreClassifiedByReasonOrCode) {
  struct Case {
    ApiStatus status;
    bool not_found, conflict, gone, already_exists;
  };
  const Case cases[] = {
      {{.code = 404, .reason = "NotFound"}, true, false, false, false},
      {{.code = 404}, true, false, false, false},
      {{.code = 409, .reason = "Conflict"}, false, true, false, false},
      {{.code = 409, .reason = "AlreadyExists"}, false, false, false, true},
      {{.code = 410, .reason = "Expired"}, false, false, true, false},
      {{.code = 410, .reason = "Gone"}, false, false, true, false},
  };
  for (const Case& c : cases) {
    Error error = Error::Api(c.status);
    EXPECT_EQ(IsNotFound(error), c.not_found) << c.status.reason;
    EXPECT_EQ(IsConflict(error), c.conflict) << c.status.reason;
    EXPECT_EQ(IsGone(error), c.gone) << c.status.reason;
    EXPECT_EQ(IsAlreadyExists(error), c.already_exists) << c.status.reason;
  }
}

TEST(ErrorTest, NonApiErrorsAreNeverApiReasons) {
  Error error = Error::Transport("connection refused");
  EXPECT_FALSE(IsNotFound(error));
  EXPECT_FALSE(error.status().has_value());
}

TEST(ErrorTest, WrapKeepsKindAndStatus) {
  Error error = Error::Api({.code = 403, .reason = "Forbidden", .message = "nope"});
  Error wrapped = error.Wrap("installing CRDs");
  EXPECT_EQ(wrapped.message(), "installing CRDs: nope");
  EXPECT_EQ(wrapped.kind(), ErrorKind::kApi);
  EXPECT_TRUE(IsForbidden(wrapped));
}

Result<int> Half(int n) {
  if (n % 2 != 0) return Error::Invalid(std::to_string(n) + " is odd");
  return n / 2;
}

Result<void> HalfTwice(int n, int& out) {
  auto once = Half(n);
  if (!once) return std::move(once).error();
  MM_RETURN_IF_ERROR(Half(*once));
  out = *Half(*once);
  return {};
}

TEST(ResultTest, CarriesValueOrError) {
  int out = 0;
  EXPECT_TRUE(HalfTwice(8, out).ok());
  EXPECT_EQ(out, 2);
  Result<void> failed = HalfTwice(6, out);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "3 is odd");
  EXPECT_EQ(failed.error().kind(), ErrorKind::kInvalid);
}

}  // namespace
}  // namespace mm
