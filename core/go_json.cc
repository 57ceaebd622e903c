#include "core/go_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace mm {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The serialized text, written through a cursor: each token reserves its worst-case room once,
// instead of std::string checking its capacity on every character.
class Output {
 public:
  explicit Output(size_t capacity) { text_.resize(capacity); }

  // Returns where to write at least `size` more characters; Advance() commits them.
  char* Room(size_t size) {
    if (text_.size() - used_ < size) text_.resize(std::max(text_.size() * 2, used_ + size));
    return text_.data() + used_;
  }
  void Advance(char* end) { used_ = static_cast<size_t>(end - text_.data()); }
  void Put(char c) { *Room(1) = c, ++used_; }
  size_t size() const { return used_; }
  void Truncate(size_t size) { used_ = size; }
  std::string Take() && {
    text_.resize(used_);
    return std::move(text_);
  }

 private:
  std::string text_;
  size_t used_ = 0;
};

char* PutUnicodeEscape(char* out, unsigned code) {
  *out++ = '\\';
  *out++ = 'u';
  for (int shift : {12, 8, 4, 0}) *out++ = kHex[(code >> shift) & 0xf];
  return out;
}

// The length of the valid UTF-8 sequence at text[i], or 0 when it is not valid.
size_t Utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  unsigned second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
      (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f)) {
    return 0;  // overlong, surrogate or beyond U+10FFFF
  }
  return length;
}

// Whether Go writes the byte as it is: printable ASCII other than `"`, `\\`, `<`, `>` and `&`.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c)
    plain[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
  return plain;
}();

// Whether any of the 8 bytes in `word` is not plain (kPlain), tested on all of them at once: a
// byte below 0x20 or from 0x80, or one equal to `"`, `\\`, `<`, `>` or `&`.
bool AnyNotPlain(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHigh = 0x8080808080808080;
  auto zero_byte = [](uint64_t v) { return (v - kOnes) & ~v; };
  uint64_t flags = (word - 0x20 * kOnes) | word | zero_byte(word ^ ('"' * kOnes)) |
                   zero_byte(word ^ ('\\' * kOnes)) | zero_byte(word ^ ('<' * kOnes)) |
                   zero_byte(word ^ ('>' * kOnes)) | zero_byte(word ^ ('&' * kOnes));
  return (flags & kHigh) != 0;
}

// Writes the escape of the byte(s) at text[i], which are not plain; returns past them.
char* PutEscaped(char* out, std::string_view text, size_t& i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  if (c >= 0x80) {
    size_t length = Utf8Length(text, i);
    if (length == 0) {
      ++i;
      return PutUnicodeEscape(out, 0xfffd);
    }
    std::string_view sequence = text.substr(i, length);
    i += length;
    if (sequence == "\xe2\x80\xa8" || sequence == "\xe2\x80\xa9") {
      return PutUnicodeEscape(out, sequence == "\xe2\x80\xa8" ? 0x2028 : 0x2029);
    }
    std::memcpy(out, sequence.data(), length);
    return out + length;
  }
  ++i;
  char escape = c == '"'    ? '"'
                : c == '\\' ? '\\'
                : c == '\n' ? 'n'
                : c == '\r' ? 'r'
                : c == '\t' ? 't'
                            : 0;
  if (escape == 0) return PutUnicodeEscape(out, c);  // <, >, & and other control characters
  *out++ = '\\';
  *out++ = escape;
  return out;
}

void AppendString(Output& output, std::string_view text) {
  // Every byte becomes at most 6 characters (\u00XX, \ufffd; U+2028 takes 3 bytes).
  char* out = output.Room(text.size() * 6 + 2);
  *out++ = '"';
  for (size_t i = 0; i < text.size();) {
    // Runs of plain bytes (nearly all of them) are copied 8 at a time, then one by one.
    for (uint64_t word; i + 8 <= text.size(); i += 8, out += 8) {
      std::memcpy(&word, text.data() + i, 8);
      if (AnyNotPlain(word)) break;
      std::memcpy(out, &word, 8);
    }
    while (i < text.size() && kPlain[static_cast<unsigned char>(text[i])]) *out++ = text[i++];
    if (i < text.size()) out = PutEscaped(out, text, i);
  }
  *out++ = '"';
  output.Advance(out);
}

void AppendNumber(Output& output, const rapidjson::Value& value) {
  constexpr size_t kRoom = 32;
  char* out = output.Room(kRoom);
  std::to_chars_result written{};
  if (value.IsInt64()) {
    written = std::to_chars(out, out + kRoom, value.GetInt64());
  } else if (value.IsUint64()) {
    written = std::to_chars(out, out + kRoom, value.GetUint64());
  } else {
    // The same text as printf's %.17g; Kubernetes objects hold integers, so this is rare.
    written = std::to_chars(out, out + kRoom, value.GetDouble(), std::chars_format::general, 17);
  }
  output.Advance(written.ptr);
}

void Append(Output& output, const rapidjson::Value& value);

using Member = rapidjson::Value::Member;

std::string_view NameOf(const Member* member) {
  return {member->name.GetString(), member->name.GetStringLength()};
}

// Bytewise order of member names; the first bytes (which mostly differ) are compared inline.
bool NameLess(const Member* a, const Member* b) {
  std::string_view x = NameOf(a);
  std::string_view y = NameOf(b);
  if (!x.empty() && !y.empty() && x[0] != y[0]) {
    return static_cast<unsigned char>(x[0]) < static_cast<unsigned char>(y[0]);
  }
  return x < y;
}

// Writes the members of `object` in `order` (sorted here). A member whose value is an object that
// the cleaning empties is written, then taken back: what GoKeepsMember decides, in one pass.
void AppendMembers(Output& output, const rapidjson::Value& object, const Member** order) {
  size_t count = 0;
  for (const Member& member : object.GetObject()) {
    bool dropped =
        member.value.IsNull() || (member.value.IsString() && member.value.GetStringLength() == 0);
    if (!dropped) order[count++] = &member;
  }
  std::sort(order, order + count, NameLess);
  output.Put('{');
  bool first = true;
  for (size_t i = 0; i < count; ++i) {
    const Member& member = *order[i];
    size_t mark = output.size();
    if (!first) output.Put(',');
    AppendString(output, NameOf(&member));
    output.Put(':');
    size_t value = output.size();
    Append(output, member.value);
    bool emptied =
        member.value.IsObject() && !member.value.ObjectEmpty() && output.size() - value == 2;
    if (emptied) {
      output.Truncate(mark);
    } else {
      first = false;
    }
  }
  output.Put('}');
}

void AppendObject(Output& output, const rapidjson::Value& object) {
  constexpr size_t kSmall = 32;  // most objects: their order on the stack
  if (object.MemberCount() <= kSmall) {
    const Member* order[kSmall];
    AppendMembers(output, object, order);
  } else {
    std::vector<const Member*> order(object.MemberCount());
    AppendMembers(output, object, order.data());
  }
}

void AppendLiteral(Output& output, std::string_view literal) {
  char* out = output.Room(literal.size());
  std::memcpy(out, literal.data(), literal.size());
  output.Advance(out + literal.size());
}

void Append(Output& output, const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      AppendLiteral(output, "null");
      break;
    case rapidjson::kFalseType:
      AppendLiteral(output, "false");
      break;
    case rapidjson::kTrueType:
      AppendLiteral(output, "true");
      break;
    case rapidjson::kStringType:
      AppendString(output, {value.GetString(), value.GetStringLength()});
      break;
    case rapidjson::kNumberType:
      AppendNumber(output, value);
      break;
    case rapidjson::kObjectType:
      AppendObject(output, value);
      break;
    case rapidjson::kArrayType: {
      output.Put('[');
      bool first = true;
      for (const rapidjson::Value& item : value.GetArray()) {
        if (!first) output.Put(',');
        first = false;
        Append(output, item);
      }
      output.Put(']');
      break;
    }
  }
}

}  // namespace

bool GoKeepsMember(const rapidjson::Value& value) {
  if (value.IsNull()) return false;
  if (value.IsString()) return value.GetStringLength() > 0;
  if (!value.IsObject() || value.ObjectEmpty()) return true;
  for (const auto& member : value.GetObject()) {
    if (GoKeepsMember(member.value)) return true;
  }
  return false;
}

bool IsEmptyStructs(const rapidjson::Value& value) {
  if (!value.IsObject()) return false;
  for (const auto& member : value.GetObject()) {
    if (GoKeepsMember(member.value) && !IsEmptyStructs(member.value)) return false;
  }
  return true;
}

std::string GoCanonicalJson(const rapidjson::Value& value) {
  Output output(4096);
  Append(output, value);
  return std::move(output).Take();
}

}  // namespace mm
