// PutGoString / GoQuoted: Go's encoding/json string escaping. The expected texts follow from the
// rules in go_string.h, written by hand.
#include "core/go_string.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

namespace mm {
namespace {

TEST(GoStringTest, EscapesLikeGo) {
  const std::pair<std::string, std::string> kCases[] = {
      {"", R"("")"},
      {"a", R"("a")"},
      {"ab", R"("ab")"},
      {"abc", R"("abc")"},
      {"a<b>&c", R"("a\u003cb\u003e\u0026c")"},
      {"q\"\\ \n\r\t\b\f\x01", R"("q\"\\ \n\r\t\u0008\u000c\u0001")"},
      {std::string("a\0b", 3), R"("a\u0000b")"},
      {"\x7f~ :/=", "\"\x7f~ :/=\""},
      // Valid UTF-8 as it is, but for U+2028 and U+2029.
      {"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
      {"\xe2\x80\xa8\xe2\x80\xa9", R"("\u2028\u2029")"},
      {"\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\""},  // U+FFFF, U+10FFFF
      // Invalid UTF-8: one \ufffd per byte that starts no valid sequence.
      {"a\xff"
       "b",
       R"("a\ufffdb")"},
      {"\xc0\xaf", R"("\ufffd\ufffd")"},                      // overlong '/'
      {"\xe0\x80\xaf", R"("\ufffd\ufffd\ufffd")"},            // overlong, 3 bytes
      {"\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},            // surrogate U+D800
      {"\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},  // beyond U+10FFFF
      {"\xc3", R"("\ufffd")"},                                // truncated at the end
      {"\xe2\x80", R"("\ufffd\ufffd")"},
      {"\xc3(", R"("\ufffd(")"},  // continuation byte missing
  };
  for (const auto& [text, quoted] : kCases) EXPECT_EQ(GoQuoted(text), quoted) << quoted;
}

// Every single byte: printable ASCII as it is but for the five Go escapes, control characters
// as \n, \r, \t or \u00XX, and a lone byte from 0x80 as \ufffd.
TEST(GoStringTest, EscapesEveryByte) {
  for (int c = 0; c < 256; ++c) {
    std::string expected;
    if (c == '"' || c == '\\') {
      expected = std::string("\\") + static_cast<char>(c);
    } else if (c == '\n' || c == '\r' || c == '\t') {
      expected = c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      expected = escape;
    } else if (c >= 0x80) {
      expected = "\\ufffd";
    } else {
      expected = std::string(1, static_cast<char>(c));
    }
    EXPECT_EQ(GoQuoted(std::string(1, static_cast<char>(c))), "\"" + expected + "\"") << c;
  }
}

// Plain text is tested in (overlapping) pieces of 8 bytes, so each special byte or sequence is
// placed at every offset of texts of every length from 0 to 40 bytes.
TEST(GoStringTest, FindsEscapesAtEveryOffsetOfEveryLength) {
  const std::pair<std::string, std::string> kSpecial[] = {{"\"", "\\\""},
                                                          {"\\", "\\\\"},
                                                          {"<", "\\u003c"},
                                                          {">", "\\u003e"},
                                                          {"&", "\\u0026"},
                                                          {"\n", "\\n"},
                                                          {"\x01", "\\u0001"},
                                                          {"\x1f", "\\u001f"},
                                                          {"\x7f", "\x7f"},
                                                          {"\xff", "\\ufffd"},
                                                          {"\xc3\xa9", "\xc3\xa9"},
                                                          {"\xe2\x80\xa8", "\\u2028"},
                                                          {"~", "~"},
                                                          {" ", " "},
                                                          {"=", "="},
                                                          {"?", "?"},
                                                          {"$", "$"},
                                                          {"'", "'"},
                                                          {"^", "^"},
                                                          {"\x80", "\\ufffd"}};
  for (const auto& [special, escaped] : kSpecial) {
    for (size_t length = 0; length <= 40; ++length) {
      for (size_t offset = 0; offset <= length; ++offset) {
        std::string text = std::string(offset, 'a') + special + std::string(length - offset, 'b');
        EXPECT_EQ(GoQuoted(text), "\"" + std::string(offset, 'a') + escaped +
                                      std::string(length - offset, 'b') + "\"")
            << "offset " << offset << " of " << length << ": " << escaped;
      }
    }
  }
}

// Plain texts of every length up to 40 are copied whole, whatever their bytes.
TEST(GoStringTest, CopiesPlainTextsOfEveryLength) {
  std::string plain;
  for (int c = 0x20; c < 0x80; ++c) {
    if (c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') plain += static_cast<char>(c);
  }
  for (size_t length = 0; length <= 40; ++length) {
    for (size_t start = 0; start + length <= plain.size(); start += 7) {
      std::string text = plain.substr(start, length);
      EXPECT_EQ(GoQuoted(text), "\"" + text + "\"") << text;
    }
  }
}

// PutGoString writes nothing past the end it returns, in a buffer of exactly GoStringRoom.
TEST(GoStringTest, WritesNothingPastItsEnd) {
  const std::string kTexts[] = {"",         "a",
                                "abcd",     "abcdefg",
                                "abcdefgh", "abcdefghi",
                                "a<b",      "abcdefghijklmnopq&",
                                "\xff\xff", "abc\xe2\x80\xa8"};
  for (const std::string& text : kTexts) {
    std::string buffer(GoStringRoom(text.size()), '#');
    char* end = PutGoString(buffer.data(), text);
    std::string written(buffer.data(), end);
    EXPECT_EQ(written, GoQuoted(text));
    EXPECT_EQ(buffer.substr(written.size()), std::string(buffer.size() - written.size(), '#'))
        << text;
  }
}

// A large text: plain runs of every length between escapes, and its longest escape (\ufffd for
// each byte) filling the room exactly.
TEST(GoStringTest, EscapesLargeTexts) {
  std::string text;
  std::string expected = "\"";
  for (size_t run = 0; run < 300; ++run) {
    text += std::string(run, 'x') + "<";
    expected += std::string(run, 'x') + "\\u003c";
  }
  EXPECT_EQ(GoQuoted(text), expected + "\"");
  std::string invalid(100000, '\xff');
  std::string quoted = GoQuoted(invalid);
  EXPECT_EQ(quoted.size(), GoStringRoom(invalid.size()));
  EXPECT_EQ(quoted.substr(0, 13), "\"\\ufffd\\ufffd");
  std::string plain(100000, 'p');
  EXPECT_EQ(GoQuoted(plain), "\"" + plain + "\"");
}

// The word tests, both compiled here whichever PutGoString uses: every byte value at every one of
// the 16 positions among plain bytes.
TEST(GoStringTest, TestsSixteenBytesAtOnce) {
  auto expected_plain = [](int c) {
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
  };
  for (int c = 0; c < 256; ++c) {
    for (int position = 0; position < 16; ++position) {
      unsigned char bytes[16];
      std::memset(bytes, position % 2 ? '~' : ' ', sizeof bytes);
      bytes[position] = static_cast<unsigned char>(c);
      uint64_t head, tail;
      std::memcpy(&head, bytes, 8);
      std::memcpy(&tail, bytes + 8, 8);
      EXPECT_EQ(go_string_internal::IsPlainPortable(head, tail), expected_plain(c))
          << c << " at " << position;
#if defined(__SSE2__)
      EXPECT_EQ(go_string_internal::IsPlainSse2(head, tail), expected_plain(c))
          << c << " at " << position;
#endif
    }
  }
}

}  // namespace
}  // namespace mm
