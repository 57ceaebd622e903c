#include "plugin/reconcile/work_queue.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

// A failed pass is retried: 5 s after the first failure, doubling, at most 5 min.
TEST(FailureBackOffTest, DoublesUpToFiveMinutes) {
  const int kSeconds[] = {5, 10, 20, 40, 80, 160, 300, 300};
  for (int failures = 1; failures <= 8; ++failures) {
    EXPECT_EQ(FailureBackOff(failures).count(), kSeconds[failures - 1]) << failures;
  }
  EXPECT_EQ(FailureBackOff(1000).count(), 300);
  EXPECT_EQ(FailureBackOff(0).count(), 5);
}

}  // namespace
}  // namespace mm
