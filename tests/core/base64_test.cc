#include "core/base64.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64Test, EncodesAndDecodesTheRfcVectors) {
  const std::pair<const char*, const char*> kCases[] = {{"", ""},
                                                        {"f", "Zg=="},
                                                        {"fo", "Zm8="},
                                                        {"foo", "Zm9v"},
                                                        {"foob", "Zm9vYg=="},
                                                        {"fooba", "Zm9vYmE="},
                                                        {"foobar", "Zm9vYmFy"}};
  for (const auto& [input, encoded] : kCases) {
    EXPECT_EQ(Base64Encode(input), encoded) << input;
    EXPECT_EQ(Base64Decode(encoded), std::optional<std::string>(input)) << encoded;
  }
}

TEST(Base64Test, RefusesWhatIsNotBase64) {
  EXPECT_EQ(Base64Decode("Zm9v!"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg==Zg"), std::nullopt);  // data after padding
  EXPECT_EQ(Base64Decode("Z"), std::nullopt);       // a lone sextet is not a byte
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy"), std::optional<std::string>("foobar"));
}

}  // namespace
}  // namespace mm
