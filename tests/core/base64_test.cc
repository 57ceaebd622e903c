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

std::optional<std::string> DecodeUnbroken(std::string_view text) {
  std::string out(text.size() / 4 * 3, '\0');
  std::optional<size_t> size = Base64DecodeUnbroken(text, out.data());
  if (!size) return std::nullopt;
  return out.substr(0, *size);
}

TEST(Base64Test, DecodesUnbrokenBase64WithoutAllocating) {
  const std::pair<std::string_view, std::optional<std::string>> kCases[] = {
      {"", ""},
      {"Zg==", "f"},
      {"Zm8=", "fo"},
      {"Zm9v", "foo"},
      {"Zm9vYg==", "foob"},
      {"Zm9vYmFy", "foobar"},
      {"+/+/", "\xfb\xff\xbf"},
      {"AAAA", std::string(3, '\0')},
      {"Zm9", std::nullopt},  // not whole groups
      {"Zm9vY", std::nullopt},
      {"Zm9v\nYmFy", std::nullopt},  // blanks (Base64Decode skips them)
      {"Zm9v YmF", std::nullopt},
      {"Zg==Zm9v", std::nullopt},  // padding before the end
      {"Zm=v", std::nullopt},
      {"Z===", std::nullopt},  // a lone sextet is not a byte
      {"====", std::nullopt},
      {"Zm9v!A==", std::nullopt},
      {"Zm9-", std::nullopt},  // base64url is not standard base64
  };
  for (const auto& [text, decoded] : kCases) EXPECT_EQ(DecodeUnbroken(text), decoded) << text;
  std::string bytes;
  for (int i = 0; i < 3000; ++i) bytes += static_cast<char>(i * 7 % 256);
  EXPECT_EQ(DecodeUnbroken(Base64Encode(bytes)), bytes);
  EXPECT_EQ(DecodeUnbroken(Base64Encode(bytes.substr(1))), bytes.substr(1));
  EXPECT_EQ(DecodeUnbroken(Base64Encode(bytes.substr(2))), bytes.substr(2));
}

// Each character at each place of a group: its 6 bits land where they belong, and a byte outside
// the alphabet is refused there (by both decoders; blanks only the lenient one skips; '=', the
// padding, is DecodesUnbrokenBase64WithoutAllocating's).
TEST(Base64Test, DecodesEveryCharacterAtEveryPlace) {
  const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int c = 0; c < 256; ++c) {
    if (c == '=') continue;
    size_t value = kAlphabet.find(static_cast<char>(c));
    for (int place = 0; place < 4; ++place) {
      std::string text = "AAAAAAAA";
      text[4 + place] = static_cast<char>(c);
      std::optional<std::string> decoded = DecodeUnbroken(text);
      if (value == std::string::npos) {
        EXPECT_EQ(decoded, std::nullopt) << c << " at " << place;
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          EXPECT_EQ(Base64Decode(text), std::nullopt) << c << " at " << place;
        }
        continue;
      }
      uint32_t bits = static_cast<uint32_t>(value) << (18 - 6 * place);
      std::string expected = {'\0',
                              '\0',
                              '\0',
                              static_cast<char>(bits >> 16),
                              static_cast<char>(bits >> 8 & 0xff),
                              static_cast<char>(bits & 0xff)};
      EXPECT_EQ(decoded, expected) << c << " at " << place;
      EXPECT_EQ(Base64Decode(text), expected) << c << " at " << place;
    }
  }
}

}  // namespace
}  // namespace mm
