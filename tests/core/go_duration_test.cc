#include "core/go_duration.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

// Expected strings are Go's time.Duration.String() (operator.md §3.1.2 lists the first five).
TEST(GoDurationTest, ParsesAndFormatsLikeGo) {
  struct Case {
    const char* input;
    const char* formatted;
  };
  const Case kCases[] = {{"5m", "5m0s"},     {"10m", "10m0s"},     {"30s", "30s"},
                         {"90s", "1m30s"},   {"1h", "1h0m0s"},     {"1.5s", "1.5s"},
                         {"500ms", "500ms"}, {"1h30m", "1h30m0s"}, {"2m3s", "2m3s"},
                         {"0s", "0s"}};
  for (const Case& c : kCases) {
    auto nanoseconds = ParseGoDuration(c.input);
    ASSERT_TRUE(nanoseconds.has_value()) << c.input;
    EXPECT_EQ(FormatGoDuration(*nanoseconds), c.formatted) << c.input;
  }
}

TEST(GoDurationTest, RejectsWhatTheCrdPatternRejects) {
  for (const char* input : {"", "5", "m", "5x", "-5m", "5 m", ".5s", "5.s"}) {
    EXPECT_FALSE(ParseGoDuration(input).has_value()) << input;
  }
}

}  // namespace
}  // namespace mm
