#include "core/quantity.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

// Expected values follow Kubernetes' resource.Quantity canonical form.
TEST(QuantityTest, CanonicalForms) {
  struct Case {
    const char* input;
    const char* canonical;
  };
  const Case kCases[] = {
      {"2000m", "2"},     {"4000m", "4"},       {"1000m", "1"},       {"100m", "100m"},
      {"1500m", "1500m"}, {"0.5", "500m"},      {"1.5", "1500m"},     {"4Gi", "4Gi"},
      {"1024Mi", "1Gi"},  {"1536Mi", "1536Mi"}, {"1.5Gi", "1536Mi"},  {"1000M", "1G"},
      {"500Mi", "500Mi"}, {"0", "0"},           {"1000", "1k"},       {"1e3", "1e3"},
      {"12e6", "12e6"},   {"1Ki", "1Ki"},       {"0.5Ki", "512"},     {"50Gi", "50Gi"},
      {"256Mi", "256Mi"}, {"+2", "2"},          {"-1500m", "-1500m"},
  };
  for (const Case& c : kCases) {
    auto canonical = CanonicalQuantity(c.input);
    ASSERT_TRUE(canonical.ok()) << c.input << ": " << canonical.error().message();
    EXPECT_EQ(*canonical, c.canonical) << c.input;
  }
}

TEST(QuantityTest, RejectsWhatIsNotAQuantity) {
  for (const char* input : {"", "abc", "1.2.3", "5X", "Gi", "1 Gi"}) {
    auto canonical = CanonicalQuantity(input);
    ASSERT_FALSE(canonical.ok()) << input;
    EXPECT_EQ(canonical.error().message(),
              "quantities must match the regular expression "
              "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got \"" +
                  std::string(input) + "\"");
  }
}

TEST(QuantityTest, MilliValueRoundsUpLikeGo) {
  const std::pair<const char*, int64_t> kCases[] = {
      {"100m", 100},
      {"2", 2000},
      {"0.5", 500},
      {"1Ki", 1024000},
      {"4Gi", 4294967296000},
      {"16291564Ki", 16682561536000},
      {"1500u", 2},
      {"1n", 1},
      {"1e3", 1000000},
      {"-1500m", -1500},
      {"0", 0},
  };
  for (const auto& [input, milli] : kCases) {
    auto value = QuantityMilliValue(input);
    ASSERT_TRUE(value.ok()) << input << ": " << value.error().message();
    EXPECT_EQ(*value, milli) << input;
  }
  EXPECT_EQ(QuantityMilliValue("9E").error().message(), "quantity \"9E\" is too large");
  EXPECT_EQ(QuantityMilliValue("lots").error().message(), "invalid quantity \"lots\"");
}

}  // namespace
}  // namespace mm
